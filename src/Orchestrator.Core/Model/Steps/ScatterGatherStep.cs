namespace Orchestrator.Core.Model;

/// <summary><c>scatter_gather</c>: runs inline steps for each item of a list, then combines the results.</summary>
public sealed record ScatterGatherStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.ScatterGather;

    /// <summary>What is split and what runs per item.</summary>
    public required ScatterSettings Scatter { get; init; }

    /// <summary>How the per-item results are combined; collect when absent.</summary>
    public GatherSettings? Gather { get; init; }
}
