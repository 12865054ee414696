namespace Orchestrator.Core.Execution.Runtime;

/// <summary>How one step list ran.</summary>
internal readonly record struct ListRunOutcome(ListRunStatus Status, string? Error, string? ErrorCode, string? FailedStepId);

/// <summary>The end state of one step list.</summary>
internal enum ListRunStatus
{
    Completed,
    Failed,
    Cancelled,
    Suspended,
}
