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
        // This runs before every run: the stack is made only for a plan with nested bodies.
        Stack<ExecutionPlan>? pending = null;
        var current = plan;
        while (true)
        {
            var steps = current.Steps;
            for (var i = 0; i < steps.Count; i++)
            {
                var planned = steps[i];
                if (planned.Step is HumanApprovalStep { Approvers.IsEmpty: true })
                {
                    return planned;
                }

                if (planned.Body is { } body)
                {
                    (pending ??= new Stack<ExecutionPlan>()).Push(body);
                }
            }

            if (pending is null || !pending.TryPop(out current))
            {
                return null;
            }
        }
    }
}
