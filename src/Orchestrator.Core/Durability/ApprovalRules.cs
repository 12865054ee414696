using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;

namespace Orchestrator.Core.Durability;

/// <summary>Who may decide an approval, and what a decision must carry.</summary>
internal static class ApprovalRules
{
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
