using Orchestrator.Core.Execution.Handlers;
using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>The end of the pipeline: runs the step by its type. One handler per type; <c>llm_decision</c> and <c>ai_processing</c> share one.</summary>
internal static class StepHandlers
{
    /// <summary>
    /// <see cref="InvokeAsync"/> as the end of the step pipeline, made once. A lambda, not the method group: a delegate to a
    /// static method is called through a thunk that shifts its arguments, on every step.
    /// </summary>
    public static readonly StepHandler Last = static context => InvokeAsync(context);

    public static ValueTask<StepOutcome> InvokeAsync(StepContext context) => context.Step switch
    {
        ActionStep => ActionHandler.ExecuteAsync(context),
        LlmStep => LlmHandler.ExecuteAsync(context),
        ConditionalStep => ValueTask.FromResult(Guarded(context, BranchHandlers.Conditional)),
        SwitchStep => ValueTask.FromResult(Guarded(context, BranchHandlers.Switch)),
        DelayStep => DelayHandler.ExecuteAsync(context),
        TransformStep or EnrichmentStep or ValidationStep or ComparisonStep => ValueTask.FromResult(Guarded(context, DataHandlers.Execute)),
        LoopStep => ContainerHandlers.LoopAsync(context),
        ParallelGroupStep => ContainerHandlers.ParallelGroupAsync(context),
        ScatterGatherStep => ContainerHandlers.ScatterGatherAsync(context),
        SubWorkflowStep => SubWorkflowHandler.ExecuteAsync(context),
        HumanApprovalStep => ValueTask.FromResult(ApprovalHandler.Execute(context)),
        _ => ValueTask.FromResult(StepOutcome.Failure($"No handler for step type '{context.Step.Type}'.", "UNSUPPORTED_STEP")),
    };

    /// <summary>
    /// Runs a synchronous step under an <see cref="OperationGuard"/>: its token is checked between items (a cancel or
    /// timeout raises <see cref="OperationCanceledException"/>, reported by the pipeline as for any step), and a regular
    /// expression that ran out of <see cref="ExecutionLimits.RegexMatchTimeout"/> fails the step with
    /// <see cref="ExecutionLimits.LimitExceededErrorCode"/> whatever the operation made of the missing match.
    /// </summary>
    private static StepOutcome Guarded(StepContext context, Func<StepContext, StepOutcome> handler)
    {
        var timeout = context.Run.Budget.Limits.RegexMatchTimeout;
        var guard = OperationGuard.Enter(timeout, context.CancellationToken);
        try
        {
            var outcome = handler(context);
            return guard.RegexTimedOut
                ? StepOutcome.Failure($"The step '{context.Step.Id}' ran a regular expression longer than Limits.{nameof(ExecutionLimits.RegexMatchTimeout)} ({timeout}).", ExecutionLimits.LimitExceededErrorCode)
                : outcome;
        }
        finally
        {
            guard.Exit();
        }
    }
}
