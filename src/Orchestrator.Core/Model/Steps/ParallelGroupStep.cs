namespace Orchestrator.Core.Model;

/// <summary><c>parallel_group</c>: runs its inline steps side by side; its data is an object keyed by child id.</summary>
public sealed record ParallelGroupStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.ParallelGroup;

    /// <summary>The steps of the group.</summary>
    public EquatableArray<WorkflowStep> Steps { get; init; }

    /// <summary>The most steps run at once.</summary>
    public int? MaxConcurrency { get; init; }
}
