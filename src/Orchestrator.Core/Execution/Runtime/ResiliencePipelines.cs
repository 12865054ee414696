using Orchestrator.Core.Model;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Builds what the resilience middleware applies to a step, once per step definition: the Polly.Core pipeline of its
/// <c>retryPolicy</c> and of the host's pipeline for its plugin, and its attempt <c>timeout</c>.
/// </summary>
internal static class ResiliencePipelines
{
    /// <summary>The default wait before the first retry when a policy sets no <c>backoffMs</c>.</summary>
    public static readonly TimeSpan DefaultBackoff = TimeSpan.FromSeconds(1);

    public static readonly ResiliencePropertyKey<StepContext> StepContextKey = new("Orchestrator.StepContext");

    public static StepResilience ForStep(WorkflowStep step, OrchestratorRuntime runtime)
    {
        var builder = new ResiliencePipelineBuilder<StepOutcome> { TimeProvider = runtime.TimeProvider };
        var hasHost = false;
        if (step is ActionStep action && runtime.PluginPipelines.TryGetValue(action.Plugin, out var host))
        {
            builder.AddPipeline(host);
            hasHost = true;
        }

        var retryPolicy = step.RetryPolicy is { MaxRetries: > 0 } retries ? retries : null;

        if (step.RetryPolicy is { MaxRetries: > 0 } policy)
        {
            var backoff = policy.Backoff ?? DefaultBackoff;
            var multiplier = policy.BackoffMultiplier ?? RetryPolicy.DefaultBackoffMultiplier;
            builder.AddRetry(new RetryStrategyOptions<StepOutcome>
            {
                MaxRetryAttempts = policy.MaxRetries,
                DelayGenerator = args =>
                {
                    var delay = backoff.TotalMilliseconds * Math.Pow(multiplier, args.AttemptNumber);
                    if (policy.Jitter)
                    {
                        // Spread retries of many runs over +-25% so they do not hit a recovering service together.
#pragma warning disable CA5394 // Jitter needs spread, not secrecy.
                        delay *= 0.75 + (Random.Shared.NextDouble() * 0.5);
#pragma warning restore CA5394
                    }

                    return ValueTask.FromResult<TimeSpan?>(TimeSpan.FromMilliseconds(Math.Min(delay, TimeSpan.FromHours(1).TotalMilliseconds)));
                },
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, policy)),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(StepContextKey, out var context))
                    {
                        var error = args.Outcome.Exception?.Message ?? args.Outcome.Result.Error;
                        context.Run.Counters.Retried();
                        Telemetry.Log.StepRetried(context.Run.Runtime.Logger, context.ExecutionId, context.StepId, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                        context.Run.Emit(new StepRetriedEvent(context.ExecutionId, context.Run.Now, context.StepId, context.IterationKey, args.AttemptNumber + 1, error, args.RetryDelay));
                        context.Run.Audit?.StepRetried(context, args.AttemptNumber + 1, error, args.Outcome.Result.ErrorCode, args.RetryDelay);
                    }

                    return default;
                },
            });
        }

        // An approval's timeout is its decision window, kept by the approval itself (it may be days): never an attempt
        // timer. The attempt timeout is not a Polly strategy: the middleware arms it around each attempt itself, so an
        // attempt that completes at once costs no trip through Polly (see ResilienceMiddleware).
        var timeout = step is HumanApprovalStep ? null : step.Timeout ?? runtime.Options.DefaultStepTimeout;
        return new StepResilience(timeout, retryPolicy, hasHost || retryPolicy is not null ? builder.Build() : null, hasHost);
    }

    /// <summary>
    /// A failure is retried when the plugin marked it retryable, when its code or message matches one of the policy's
    /// <c>retryableErrors</c>, or when the attempt timed out.
    /// </summary>
    internal static bool ShouldRetry(Outcome<StepOutcome> outcome, RetryPolicy policy)
    {
        if (outcome.Exception is TimeoutRejectedException)
        {
            return true;
        }

        if (outcome.Exception is { } exception)
        {
            return exception is not OperationCanceledException && Matches(policy, exception.GetType().Name, exception.Message);
        }

        var result = outcome.Result;
        return result.Kind == StepOutcomeKind.Failed && (result.Retryable || Matches(policy, result.ErrorCode, result.Error));
    }

    private static bool Matches(RetryPolicy policy, string? code, string? message)
    {
        foreach (var retryable in policy.RetryableErrors)
        {
            if (string.Equals(code, retryable, StringComparison.OrdinalIgnoreCase)
                || (message is not null && message.Contains(retryable, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
