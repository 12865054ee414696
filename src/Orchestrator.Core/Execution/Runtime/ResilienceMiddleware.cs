using System.Runtime.CompilerServices;
using System.Globalization;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Polly;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Retry and per-attempt timeout through Polly.Core: the step's <c>retryPolicy</c> and <c>timeout</c> (or the default
/// timeout), and the host's pipeline for the step's plugin. Steps with none of these pass straight through.
/// </summary>
internal sealed class ResilienceMiddleware : IStepMiddleware
{
    public ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler next)
    {
        var runtime = context.Run.Runtime;
        return AppliesTo(context.Step, runtime) ? ExecuteAsync(context, next, runtime.GetStepPipeline(context.Step)) : next(context);
    }

    /// <summary>Whether the step has a retry policy or a timeout of its own or by default, or its plugin a host pipeline.</summary>
    public static bool AppliesTo(WorkflowStep step, OrchestratorRuntime runtime)
    {
        var hasOwn = step.RetryPolicy is { MaxRetries: > 0 }
            || (step is not HumanApprovalStep && (step.Timeout is not null || runtime.Options.DefaultStepTimeout is not null));
        return hasOwn || (step is ActionStep action && runtime.PluginPipelines.ContainsKey(action.Plugin));
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<StepOutcome> ExecuteAsync(StepContext context, StepHandler next, ResiliencePipeline<StepOutcome> pipeline)
    {
        var resilience = ResilienceContextPool.Shared.Get(context.CancellationToken);
        resilience.Properties.Set(ResiliencePipelines.StepContextKey, context);
        var runToken = context.CancellationToken;
        var attempt = 0;
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (resilienceContext, state) =>
                {
                    var (stepContext, inner, counter, runToken) = state;
                    stepContext.Attempt = Interlocked.Increment(ref counter.Value);
                    stepContext.Record.Attempts = stepContext.Attempt;
                    stepContext.CancellationToken = resilienceContext.CancellationToken;
                    try
                    {
                        var pending = inner(stepContext);
                        var result = pending.IsCompleted ? pending.Result : await UntilCancelledAsync(pending, stepContext, resilienceContext.CancellationToken).ConfigureAwait(false);

                        // Container steps report their inner steps' cancellation as a value. When it was this attempt's
                        // token (its timeout) that fired, not the run's, raise it so the timeout reports TIMEOUT and retry sees it.
                        return result.Kind == StepOutcomeKind.Failed && resilienceContext.CancellationToken.IsCancellationRequested && !runToken.IsCancellationRequested
                            ? Outcome.FromException<StepOutcome>(new OperationCanceledException(resilienceContext.CancellationToken))
                            : Outcome.FromResult(result);
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<StepOutcome>(ex);
                    }
                },
                resilience,
                (context, next, new AttemptCounter(attempt), runToken)).ConfigureAwait(false);

            context.CancellationToken = runToken;
            return outcome.Exception switch
            {
                null => outcome.Result,
                Polly.Timeout.TimeoutRejectedException timedOut => StepOutcome.Failure(
                    string.Create(CultureInfo.InvariantCulture, $"The step timed out: an attempt took longer than {timedOut.Timeout.TotalMilliseconds} ms."), "TIMEOUT", retryable: true),
                OperationCanceledException when runToken.IsCancellationRequested => StepOutcome.Failure("The step was cancelled.", "CANCELLED"),
                var ex => StepOutcome.Failure($"{ex.GetType().Name}: {ex.Message}", "EXCEPTION"),
            };
        }
        finally
        {
            context.CancellationToken = runToken;
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    /// <summary>
    /// Awaits an attempt that did not complete at once, but no longer than its token (the attempt's timeout, the run's
    /// cancellation) allows: a plugin that ignores its token cannot hold the step past its <c>timeout</c>. Such an
    /// attempt is abandoned (its task runs on unobserved by the step) and logged.
    /// </summary>
    private static async ValueTask<StepOutcome> UntilCancelledAsync(ValueTask<StepOutcome> pending, StepContext context, CancellationToken cancellationToken)
    {
        var task = pending.AsTask();
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!task.IsCompleted)
        {
            SideCalls.ObserveFaults(task);
            Telemetry.Log.StepAbandoned(context.Run.Runtime.Logger, context.ExecutionId, context.StepId);
            throw;
        }
    }

    /// <summary>A shared counter for the attempts of one step (a class so the static callback can update it).</summary>
    private sealed class AttemptCounter(int value)
    {
        public int Value = value;
    }
}
