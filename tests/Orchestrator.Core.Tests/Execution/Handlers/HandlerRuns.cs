using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

/// <summary>Runs inline JSON workflows through a <see cref="WorkflowOrchestrator"/> for the handler tests.</summary>
internal static class HandlerRuns
{
    /// <summary>How long a test waits for work it has already released; a guard against hangs, never a sleep.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    public static ValueTask<WorkflowExecutionResult> RunAsync(this WorkflowOrchestrator orchestrator, string workflowJson, string inputsJson = "{}", string? executionId = null) =>
        orchestrator.ExecuteAsync(
            Workflows.Load(workflowJson),
            new WorkflowExecutionRequest { UserId = "u1", AgentId = "agent-1", Inputs = Json.Parse(inputsJson), ExecutionId = executionId });

    public static string Text(this System.Text.Json.JsonElement element) => element.GetRawText();
}
