using Orchestrator.Core.Ports;

namespace Orchestrator.Dashboard.Data;

/// <summary>An approval a suspended run waits for, with the step's rules and the decisions recorded so far.</summary>
internal sealed record ApprovalView
{
    public required string ExecutionId { get; init; }

    public required string StepId { get; init; }

    public string? Title { get; init; }

    public string? Message { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public bool Escalated { get; init; }

    /// <summary>Who may decide now (the escalation list once escalated); empty means anyone, under the open policy.</summary>
    public required IReadOnlyList<string> Approvers { get; init; }

    public bool OpenToAnyone { get; init; }

    public bool RequireComment { get; init; }

    /// <summary><c>any</c> or <c>all</c>.</summary>
    public required string ApprovalType { get; init; }

    public required IReadOnlyList<StoredApprovalDecision> Decisions { get; init; }

    /// <summary>Whether <paramref name="approver"/> may decide it, by the same rules <c>SubmitApprovalAsync</c> applies.</summary>
    public bool MayDecide(string? approver) =>
        approver is not null && (Approvers.Count == 0 ? OpenToAnyone : Approvers.Contains(approver, StringComparer.Ordinal));
}
