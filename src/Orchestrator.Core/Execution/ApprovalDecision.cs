namespace Orchestrator.Core.Execution;

/// <summary>One approver's decision on a pending approval.</summary>
public sealed record ApprovalDecision
{
    /// <summary>The suspended run.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The <c>human_approval</c> step.</summary>
    public required string StepId { get; init; }

    /// <summary>Who decided; must be one of the step's approvers when it lists any.</summary>
    public required string Approver { get; init; }

    /// <summary>Whether they approve.</summary>
    public required bool Approved { get; init; }

    /// <summary>Their comment (required when the step says so).</summary>
    public string? Comment { get; init; }
}
