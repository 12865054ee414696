using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Core.Planning;

/// <summary>What planning produced: a plan when the workflow can run, and every problem found.</summary>
public sealed class PlanningResult
{
    internal PlanningResult(ExecutionPlan? plan, IReadOnlyList<WorkflowDiagnostic> diagnostics)
    {
        Plan = plan;
        Diagnostics = diagnostics;
    }

    /// <summary>The plan; <see langword="null"/> when there is any error (a plan with errors cannot be executed).</summary>
    public ExecutionPlan? Plan { get; }

    /// <summary>Every problem found, errors and warnings.</summary>
    public IReadOnlyList<WorkflowDiagnostic> Diagnostics { get; }

    /// <summary>Whether planning found no error (warnings allowed).</summary>
    public bool Succeeded => Plan is not null;

    /// <summary>Returns the plan, or throws listing every error.</summary>
    /// <returns>The plan.</returns>
    /// <exception cref="WorkflowValidationException">The workflow has errors.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1024:Use properties where appropriate", Justification = "It throws when there are errors; a property that throws would surprise debuggers and serializers.")]
    public ExecutionPlan GetPlanOrThrow() =>
        Plan ?? throw new WorkflowValidationException("The workflow cannot be planned.", Diagnostics);
}
