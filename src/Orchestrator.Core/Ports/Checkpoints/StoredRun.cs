using Orchestrator.Core.Execution;

namespace Orchestrator.Core.Ports;

/// <summary>Everything a store holds about one run.</summary>
public sealed record StoredRun
{
    /// <summary>What the run started with.</summary>
    public required RunCheckpoint Run { get; init; }

    /// <summary>Where the run stands.</summary>
    public required CheckpointStatus Status { get; init; }

    /// <summary>How it ended, once <see cref="CheckpointStatus.Finished"/>.</summary>
    public ExecutionStatus? Outcome { get; init; }

    /// <summary>When the status last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The step records in the order they were appended.</summary>
    public required IReadOnlyList<StepCheckpoint> Steps { get; init; }

    /// <summary>The approval decisions recorded for the run.</summary>
    public required IReadOnlyList<StoredApprovalDecision> ApprovalDecisions { get; init; }
}
