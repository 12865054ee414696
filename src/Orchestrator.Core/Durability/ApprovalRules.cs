using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;

namespace Orchestrator.Core.Durability;

/// <summary>Who may decide an approval, and what a decision must carry.</summary>
internal static class ApprovalRules
{
    /// <exception cref="InvalidOperationException">The approver may not decide, or a required comment is missing.</exception>
    public static void Check(ApprovalState state, ApprovalDecision decision)
    {
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
