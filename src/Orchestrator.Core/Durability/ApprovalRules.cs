using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Suspension;

namespace Orchestrator.Core.Durability;

/// <summary>
/// Who may decide an approval, what a decision must carry, and how it is recorded: the one rule for runs suspended in
/// memory and in a checkpoint store.
/// </summary>
internal static class ApprovalRules
{
    /// <summary>
    /// Records <paramref name="decision"/> for the approval a run in <paramref name="runs"/> waits for, after
    /// <see cref="Check"/>; returns whether the approval is now settled (the run can be resumed).
    /// </summary>
    /// <exception cref="InvalidOperationException">No suspended run waits for the approval, or <see cref="Check"/> refuses the decision.</exception>
    public static async ValueTask<bool> DecideAsync(ISuspendedRuns runs, ApprovalDecision decision, bool allowOpenApprovals, CancellationToken cancellationToken)
    {
        var waiting = await runs.FindApprovalAsync(decision, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"No suspended run '{decision.ExecutionId}' waits for an approval of step '{decision.StepId}'.");
        Check(waiting.State, decision, allowOpenApprovals);

        // Recorded in the state before it is kept: a held run's audit trail follows its state, and a state rebuilt
        // from a store is this call's own copy, so a decision the store refuses is dropped with it.
        waiting.State.Record(decision);
        await runs.KeepDecisionAsync(waiting, decision, cancellationToken).ConfigureAwait(false);
        return waiting.State.Settle() is not null;
    }

    /// <summary>
    /// Throws when <paramref name="decision"/> may not be recorded. A step that lists no approvers takes decisions
    /// only under the host's open policy (<see cref="WorkflowOrchestratorOptions.AllowOpenApprovals"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The approver may not decide, or a required comment is missing.</exception>
    public static void Check(ApprovalState state, ApprovalDecision decision, bool allowOpenApprovals)
    {
        if (state.Approvers.IsEmpty && !allowOpenApprovals)
        {
            throw new InvalidOperationException($"Step '{decision.StepId}' lists no approvers and the orchestrator does not allow open approvals ({nameof(WorkflowOrchestratorOptions)}.{nameof(WorkflowOrchestratorOptions.AllowOpenApprovals)}): nobody may decide it.");
        }

        if (!state.Approvers.IsEmpty && !state.Approvers.Contains(decision.Approver))
        {
            throw new InvalidOperationException($"'{decision.Approver}' is not an approver of step '{decision.StepId}' (approvers: {string.Join(", ", state.Approvers)}).");
        }

        if (state.Step.RequireComment && string.IsNullOrWhiteSpace(decision.Comment))
        {
            throw new InvalidOperationException($"The approval of step '{decision.StepId}' requires a comment.");
        }
    }
}
