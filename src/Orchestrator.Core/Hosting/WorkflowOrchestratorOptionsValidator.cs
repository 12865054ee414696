using Microsoft.Extensions.Options;
using Orchestrator.Core.Execution;

namespace Orchestrator.Core.Hosting;

/// <summary>Checks <see cref="WorkflowOrchestratorOptions"/> when they are created, naming every bad option at once.</summary>
internal sealed class WorkflowOrchestratorOptionsValidator : IValidateOptions<WorkflowOrchestratorOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowOrchestratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.FindProblems();
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(p => $"{nameof(WorkflowOrchestratorOptions)}.{p}"));
    }
}
