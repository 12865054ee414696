using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Finds approval steps that list no approvers, which anyone could decide. The orchestrator refuses to run a plan
/// holding one unless the host chose the open policy (<see cref="WorkflowOrchestratorOptions.AllowOpenApprovals"/>).
/// The walk uses an explicit stack, so a deeply nested plan cannot overflow the call stack.
/// </summary>
internal static class OpenApprovals
{
    /// <summary>The code named in the refusal.</summary>
    public const string ErrorCode = "APPROVAL_WITHOUT_APPROVERS";

    /// <summary>The first approval step without approvers, in this plan or the bodies nested in it; null when there is none.</summary>
    public static PlannedStep? Find(ExecutionPlan plan)
    {
        var pending = new Stack<ExecutionPlan>();
        pending.Push(plan);
        while (pending.Count > 0)
        {
            foreach (var planned in pending.Pop().Steps)
            {
                if (planned.Step is HumanApprovalStep { Approvers.IsEmpty: true })
                {
                    return planned;
                }

                if (planned.Body is { } body)
                {
                    pending.Push(body);
                }
            }
        }

        return null;
    }
}
