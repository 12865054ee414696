using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// For steps with <c>cache.enabled</c>: reuses a stored result for the same resolved key within its ttl
/// (<c>metadata.cacheHit</c> says so) and stores successful results. Other steps pass straight through.
/// </summary>
internal sealed class CachingMiddleware : IStepMiddleware
{
    private static readonly TimeSpan s_defaultTimeToLive = TimeSpan.FromMinutes(5);

    public ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler next) =>
        AppliesTo(context.Step) ? CachedAsync(context, next) : next(context);

    /// <summary>Whether the middleware acts on the step; for other steps it passes straight through.</summary>
    public static bool AppliesTo(WorkflowStep step) => step.Cache is { Enabled: true };

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
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

    /// <summary>
    /// The cache key, always scoped by the user the run acts for: plugins act with the user's credentials, so one user's
    /// result is never served to another. Without an explicit key: the step's type, what it calls (plugin and action, or
    /// model) and identity, plus what it resolved to, so different calls or inputs never share a result.
    /// </summary>
    /// <remarks>
    /// The key handed to the cache is the SHA-256 of this text (<c>sha256:</c> and 64 hex digits): resolved parameters
    /// and prompts can hold secrets, and a cache (often a shared external store) must not keep them in clear.
    /// </remarks>
    private static string Key(StepContext context) => Hash(PlainKey(context));

    /// <summary>The SHA-256 of <paramref name="plain"/> as <c>sha256:</c> and lowercase hex: fixed length, nothing readable.</summary>
    internal static string Hash(string plain)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(plain);
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(bytes, hash);
        return "sha256:" + Convert.ToHexStringLower(hash);
    }

    private static string PlainKey(StepContext context)
    {
        var step = context.Step;
        var user = "user:" + context.UserId.Length.ToString(CultureInfo.InvariantCulture) + ":" + context.UserId + "|";
        if (step.Cache!.Key is { } template)
        {
            return user + "key:" + TemplateEvaluator.RenderText(template, context.Scope);
        }

        var target = step switch
        {
            ActionStep action => action.Plugin + "." + action.Action,
            LlmStep llm => llm.Model ?? string.Empty,
            _ => string.Empty,
        };
        var parameters = context.Parameters.ValueKind == JsonValueKind.Undefined ? string.Empty : context.Parameters.GetRawText();
        if (step is LlmStep { Input: not null } or LlmStep { Config: not null })
        {
            // An ai_processing step's input and config are part of what it sends: different data never shares a reply.
            var llmStep = (LlmStep)step;
            var input = llmStep.Input is null ? string.Empty : Raw(TemplateEvaluator.Evaluate(llmStep.Input, context.Scope));
            var config = llmStep.Config is null ? string.Empty : Raw(TemplateEvaluator.Evaluate(llmStep.Config, context.Scope));
            parameters += ":" + input.Length.ToString(CultureInfo.InvariantCulture) + ":" + input + config;
        }

        return $"{user}{step.Type}:{target}:{step.Id}:{context.Prompt}:{parameters}";
    }

    private static string Raw(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? string.Empty : value.GetRawText();
}
