using System.Text.Json;
using Orchestrator.Core.Execution.Values;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// For steps with <c>cache.enabled</c>: reuses a stored result for the same resolved key within its ttl
/// (<c>metadata.cacheHit</c> says so) and stores successful results. Other steps pass straight through.
/// </summary>
internal sealed class CachingMiddleware : IStepMiddleware
{
    private static readonly TimeSpan s_defaultTimeToLive = TimeSpan.FromMinutes(5);

    public ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler next) =>
        context.Step.Cache is { Enabled: true } ? CachedAsync(context, next) : next(context);

    private static async ValueTask<StepOutcome> CachedAsync(StepContext context, StepHandler next)
    {
        var cache = context.Run.Runtime.Cache;
        var key = Key(context);
        var stored = await cache.GetAsync(key, context.CancellationToken).ConfigureAwait(false);
        if (stored is { } data)
        {
            return StepOutcome.Success(data) with { CacheHit = true };
        }

        var outcome = await next(context).ConfigureAwait(false);
        if (outcome.IsSuccess)
        {
            await cache.SetAsync(key, outcome.Data, context.Step.Cache!.Ttl ?? s_defaultTimeToLive, context.CancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    private static string Key(StepContext context)
    {
        var step = context.Step;
        if (step.Cache!.Key is { } template)
        {
            return "key:" + TemplateEvaluator.RenderText(template, context.Scope);
        }

        // Without a key: the step's type and identity plus what it resolved to, so different inputs never share a result.
        var parameters = context.Parameters.ValueKind == JsonValueKind.Undefined ? string.Empty : context.Parameters.GetRawText();
        return $"{step.Type}:{step.Id}:{context.Prompt}:{parameters}";
    }
}
