using Orchestrator.Core.Execution.Handlers;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>The end of the pipeline: runs the step by its type. One handler per type; <c>llm_decision</c> and <c>ai_processing</c> share one.</summary>
internal static class StepHandlers
{
    public static ValueTask<StepOutcome> InvokeAsync(StepContext context) => context.Step switch
    {
        ActionStep => ActionHandler.ExecuteAsync(context),
        LlmStep => LlmHandler.ExecuteAsync(context),
        ConditionalStep => ValueTask.FromResult(BranchHandlers.Conditional(context)),
        SwitchStep => ValueTask.FromResult(BranchHandlers.Switch(context)),
        DelayStep => DelayHandler.ExecuteAsync(context),
        TransformStep or EnrichmentStep or ValidationStep or ComparisonStep => ValueTask.FromResult(DataHandlers.Execute(context)),
        LoopStep => ContainerHandlers.LoopAsync(context),
        ParallelGroupStep => ContainerHandlers.ParallelGroupAsync(context),
        ScatterGatherStep => ContainerHandlers.ScatterGatherAsync(context),
        SubWorkflowStep => SubWorkflowHandler.ExecuteAsync(context),
        HumanApprovalStep => ValueTask.FromResult(ApprovalHandler.Execute(context)),
        _ => ValueTask.FromResult(StepOutcome.Failure($"No handler for step type '{context.Step.Type}'.", "UNSUPPORTED_STEP")),
    };
}
