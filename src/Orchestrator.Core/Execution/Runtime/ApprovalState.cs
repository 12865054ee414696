using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>The decisions recorded for one approval step, and whether they settle it.</summary>
internal sealed class ApprovalState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ApprovalDecision> _decisions = new(StringComparer.Ordinal);

    public ApprovalState(HumanApprovalStep step, DateTimeOffset requestedAt, string? title, string? message)
    {
        Step = step;
        RequestedAt = requestedAt;
        Title = title;
        Message = message;
    }

    public HumanApprovalStep Step { get; }

    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>Whether the request went to <c>escalateTo</c> after the first timeout.</summary>
    public bool Escalated { get; private set; }

    /// <summary>Who may decide now: the approvers, or after escalation the people escalated to.</summary>
    public EquatableArray<string> Approvers => Escalated ? Step.EscalateTo : Step.Approvers;

    /// <summary>Sends the request on to <c>escalateTo</c>, with a fresh timeout.</summary>
    public void Escalate(DateTimeOffset now)
    {
        lock (_lock)
        {
            Escalated = true;
            RequestedAt = now;
        }
    }

    public string? Title { get; }

    public string? Message { get; }

    public DateTimeOffset? ExpiresAt => Step.Timeout is { } timeout ? RequestedAt + timeout : null;

    public IReadOnlyList<ApprovalDecision> Decisions
    {
        get
        {
            lock (_lock)
            {
                return [.. _decisions.Values];
            }
        }
    }

    public void Record(ApprovalDecision decision)
    {
        lock (_lock)
        {
            _decisions[decision.Approver] = decision;
        }
    }

    /// <summary>True when approved, false when rejected, null while not settled.</summary>
    public bool? Settle()
    {
        lock (_lock)
        {
            var approvals = _decisions.Values.Count(d => d.Approved);
            var rejections = _decisions.Count - approvals;
            var approvers = Math.Max(Approvers.Count, 1);
            return (Step.ApprovalType ?? ApprovalType.Any) switch
            {
                ApprovalType.Any => _decisions.Count > 0 ? approvals > 0 : null,
                ApprovalType.All => rejections > 0 ? false : approvals >= approvers ? true : null,
                _ => approvals * 2 > approvers ? true : rejections * 2 >= approvers ? false : null,
            };
        }
    }
}
