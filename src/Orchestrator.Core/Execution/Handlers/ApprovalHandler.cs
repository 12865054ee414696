using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary>
/// <c>human_approval</c>: suspends the run until the recorded decisions settle it (any, all or majority); a rejection
/// fails the step; when <c>timeout</c> runs out, <c>onTimeout</c> approves, rejects or escalates. Nothing polls and no
/// thread waits: the run ends as <see cref="ExecutionStatus.Suspended"/> and is resumed by the host.
/// </summary>
internal static class ApprovalHandler
{
    public static StepOutcome Execute(StepContext context)
    {
        var step = (HumanApprovalStep)context.Step;
        if (context.IterationKey.Length > 0 || context.Run.Depth > 0)
        {
            return StepOutcome.Failure("Approvals are supported at the top level of a workflow only (not inside loops, groups, scatters or sub-workflows).", "NESTED_APPROVAL_UNSUPPORTED");
        }

        var run = context.Run;
        var state = run.Approvals.GetOrAdd(step.Id, _ => new ApprovalState(
            step,
            run.Now,
            step.Title is null ? null : TemplateEvaluator.RenderText(step.Title, context.Scope),
            step.Message is null ? null : TemplateEvaluator.RenderText(step.Message, context.Scope)));

        switch (state.Settle())
        {
            case true:
                return StepOutcome.Success(Record(state, approved: true, timedOut: false));
            case false:
                return StepOutcome.Failure("The approval was rejected.", "APPROVAL_REJECTED") with { Data = Record(state, approved: false, timedOut: false) };
        }

        if (state.ExpiresAt is { } expires && run.Now >= expires)
        {
            switch (step.OnTimeout ?? ApprovalTimeoutAction.Reject)
            {
                case ApprovalTimeoutAction.Approve:
                    return StepOutcome.Success(Record(state, approved: true, timedOut: true));
                case ApprovalTimeoutAction.Reject:
                    return StepOutcome.Failure("No decision arrived before the approval timed out.", "APPROVAL_TIMEOUT");
                default:
                    if (!state.Escalated)
                    {
                        state.Escalate(run.Now);
                    }

                    break;
            }
        }

        return new StepOutcome { Kind = StepOutcomeKind.Suspended, Data = JsonValues.Null };
    }

    private static System.Text.Json.JsonElement Record(ApprovalState state, bool approved, bool timedOut) => JsonValues.Write(static (writer, s) =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("approved", s.approved);
        writer.WriteBoolean("timedOut", s.timedOut);
        writer.WriteStartArray("decisions");
        foreach (var decision in s.state.Decisions)
        {
            writer.WriteStartObject();
            writer.WriteString("approver", decision.Approver);
            writer.WriteBoolean("approved", decision.Approved);
            if (decision.Comment is not null)
            {
                writer.WriteString("comment", decision.Comment);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }, (state, approved, timedOut));
}
