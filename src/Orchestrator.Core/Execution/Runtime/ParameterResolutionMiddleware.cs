using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Resolves an action's <c>params</c> and an LLM step's prompt and <c>params</c> once per step (not per attempt), so
/// caching keys on them and every retry sends the same request.
/// </summary>
internal sealed class ParameterResolutionMiddleware : IStepMiddleware
{
    public ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler next)
    {
        Resolve(context);
        return next(context);
    }

    /// <summary>Sets the context's parameters and prompt; the plan runner calls it directly when it skips the pipeline.</summary>
    public static void Resolve(StepContext context)
    {
        switch (context.Step)
        {
            case ActionStep action:
                context.Parameters = action.Params is null ? JsonValues.EmptyObject : TemplateEvaluator.Evaluate(action.Params, context.Scope);
                break;
            case LlmStep llm:
                context.Parameters = llm.Params is null ? default : TemplateEvaluator.Evaluate(llm.Params, context.Scope);
                context.Prompt = llm.Prompt is not null
                    ? TemplateEvaluator.RenderText(llm.Prompt, context.Scope)
                    : llm.Description ?? llm.Name ?? string.Empty;
                break;
        }
    }
}
