using System.Globalization;
using System.Runtime.CompilerServices;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Polly;
using Polly.Timeout;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Retry and per-attempt timeout: the step's <c>retryPolicy</c> and <c>timeout</c> (or the default timeout), and the
/// host's Polly pipeline for the step's plugin. Steps with none of these pass straight through.
/// </summary>
/// <remarks>
/// The first attempt of a step without a host pipeline runs here, not through Polly: a step that completes at once and
/// needs no retry (nearly every step) pays for its timeout's timer and nothing else. Only an outcome that a retry would
/// handle enters the Polly retry pipeline, which is handed that first outcome instead of running the attempt again, so
/// retries, their delays, their events and their attempt numbers are exactly what Polly makes of them. The attempt
/// timeout is kept by <see cref="AttemptTimeout"/> with the semantics of Polly's timeout strategy (the attempt's token is
/// cancelled after the timeout; a cancellation it caused, not the run's, becomes a <see cref="TimeoutRejectedException"/>).
/// </remarks>
internal sealed class ResilienceMiddleware : IStepMiddleware
{
    public ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler next)
    {
        var runtime = context.Run.Runtime;
        if (!AppliesTo(context.Step, runtime))
        {
            return next(context);
        }

        return InvokeAsync(context, next, runtime.GetStepResilience(context.Step));
    }

    /// <summary>
    /// Runs the step's attempts under <paramref name="resilience"/>. The plan runner calls it directly for an action step
    /// no other middleware acts on, with its parameters resolved, so such a step does not pass the pipeline's other links.
    /// </summary>
    public static ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler next, StepResilience resilience)
    {
        if (resilience.HasHostPipeline)
        {
            return ThroughPipelineAsync(context, next, resilience, first: null);
        }

        var runToken = context.CancellationToken;
        if (runToken.IsCancellationRequested)
        {
            // As Polly does: no attempt once the run is cancelled.
            return ValueTask.FromResult(Final(Outcome.FromException<StepOutcome>(new OperationCanceledException(runToken)), runToken));
        }

        context.Attempt = 1;
        context.Record.Attempts = 1;
        var limit = resilience.Timeout;
        var pending = StartAttempt(context, next, limit, runToken, out var timeout);
        if (!pending.IsCompletedSuccessfully)
        {
            return AfterFirstAttempt(context, next, resilience, SettleAttempt(pending, context, timeout, limit, runToken, runToken), runToken);
        }

        // Read once: a ValueTask backed by a pooled source may be read only once.
        var done = pending.Result;
        if (done.Kind != StepOutcomeKind.Failed)
        {
            // Nearly every step: done at once and not failed, which neither a retry nor a timeout changes.
            timeout?.End();
            context.CancellationToken = runToken;
            return ValueTask.FromResult(done);
        }

        return AfterFirstAttempt(context, next, resilience, SettleAttempt(ValueTask.FromResult(done), context, timeout, limit, runToken, runToken), runToken);
    }

    /// <summary>Ends the step with its first attempt's outcome when that is final, else hands it to the retry pipeline (awaiting it first when it is still running).</summary>
    private static ValueTask<StepOutcome> AfterFirstAttempt(StepContext context, StepHandler next, StepResilience resilience, ValueTask<Outcome<StepOutcome>> first, CancellationToken runToken)
    {
        if (!first.IsCompleted)
        {
            return FirstAttemptAsync(context, next, resilience, first, runToken);
        }

        var outcome = first.Result;
        context.CancellationToken = runToken;
        return resilience.IsFinal(outcome) ? ValueTask.FromResult(Final(outcome, runToken)) : ThroughPipelineAsync(context, next, resilience, outcome);
    }

    /// <summary>Whether the step has a retry policy or a timeout of its own or by default, or its plugin a host pipeline.</summary>
    public static bool AppliesTo(WorkflowStep step, OrchestratorRuntime runtime)
    {
        var hasOwn = step.RetryPolicy is { MaxRetries: > 0 }
            || (step is not HumanApprovalStep && (step.Timeout is not null || runtime.Options.DefaultStepTimeout is not null));
        return hasOwn || (step is ActionStep action && runtime.PluginPipelines.ContainsKey(action.Plugin));
    }

    /// <summary>Awaits a first attempt that did not complete at once, then ends the step or hands the outcome to the retry pipeline.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<StepOutcome> FirstAttemptAsync(
        StepContext context, StepHandler next, StepResilience resilience, ValueTask<Outcome<StepOutcome>> pending, CancellationToken runToken)
    {
        Outcome<StepOutcome> outcome;
        try
        {
            outcome = await pending.ConfigureAwait(false);
        }
        finally
        {
            context.CancellationToken = runToken;
        }

        return resilience.IsFinal(outcome) ? Final(outcome, runToken) : await ThroughPipelineAsync(context, next, resilience, outcome).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the step's attempts through its Polly pipeline (retries, the host's pipeline). When <paramref name="first"/>
    /// is given, the first attempt already ran: the pipeline gets its outcome as the first execution's.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<StepOutcome> ThroughPipelineAsync(StepContext context, StepHandler next, StepResilience resilience, Outcome<StepOutcome>? first)
    {
        var runToken = context.CancellationToken;
        var resilienceContext = ResilienceContextPool.Shared.Get(runToken);
        resilienceContext.Properties.Set(ResiliencePipelines.StepContextKey, context);
        try
        {
            var outcome = await resilience.Pipeline!.ExecuteOutcomeAsync(
                static (resilienceContext, state) =>
                {
                    if (state.TakeFirst() is { } first)
                    {
                        return ValueTask.FromResult(first);
                    }

                    var stepContext = state.Context;
                    stepContext.Attempt = ++state.Count;
                    stepContext.Record.Attempts = stepContext.Attempt;
                    return RunAttemptAsync(stepContext, state.Next, state.Resilience.Timeout, resilienceContext.CancellationToken, state.RunToken);
                },
                resilienceContext,
                new Attempts(context, next, resilience, first, runToken)).ConfigureAwait(false);
            return Final(outcome, runToken);
        }
        finally
        {
            context.CancellationToken = runToken;
            ResilienceContextPool.Shared.Return(resilienceContext);
        }
    }

    /// <summary>One attempt inside the pipeline: its timeout armed on the pipeline's token, its outcome never thrown.</summary>
    private static ValueTask<Outcome<StepOutcome>> RunAttemptAsync(StepContext context, StepHandler next, TimeSpan? limit, CancellationToken outer, CancellationToken runToken)
    {
        var pending = StartAttempt(context, next, limit, outer, out var timeout);
        return SettleAttempt(pending, context, timeout, limit, outer, runToken);
    }

    /// <summary>Ends an attempt that completed at once (<see cref="EndAttempt"/>), or awaits it first (<see cref="FinishAttemptAsync"/>).</summary>
    private static ValueTask<Outcome<StepOutcome>> SettleAttempt(
        ValueTask<StepOutcome> pending, StepContext context, AttemptTimeout? timeout, TimeSpan? limit, CancellationToken outer, CancellationToken runToken) =>
        pending.IsCompleted
            ? ValueTask.FromResult(EndAttempt(pending, timeout, limit, outer, runToken))
            : FinishAttemptAsync(pending, context, timeout, limit, outer, runToken);

    /// <summary>Arms the attempt's timeout on <paramref name="outer"/> and starts the attempt; what it throws comes back as its result.</summary>
    private static ValueTask<StepOutcome> StartAttempt(StepContext context, StepHandler next, TimeSpan? limit, CancellationToken outer, out AttemptTimeout? timeout)
    {
        timeout = limit is { } value ? AttemptTimeout.Start(value, context.Run.Runtime.TimeProvider, outer) : null;
        try
        {
            context.CancellationToken = timeout?.Token ?? outer;
            return next(context);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<StepOutcome>(ex);
        }
    }

    /// <summary>Awaits an attempt that did not complete at once, then ends it as <see cref="EndAttempt"/> does.</summary>
    private static async ValueTask<Outcome<StepOutcome>> FinishAttemptAsync(
        ValueTask<StepOutcome> pending, StepContext context, AttemptTimeout? timeout, TimeSpan? limit, CancellationToken outer, CancellationToken runToken)
    {
        try
        {
            var result = await UntilCancelledAsync(pending, context, timeout?.Token ?? outer).ConfigureAwait(false);
            pending = ValueTask.FromResult(result);
        }
        catch (Exception ex)
        {
            pending = ValueTask.FromException<StepOutcome>(ex);
        }

        return EndAttempt(pending, timeout, limit, outer, runToken);
    }

    /// <summary>
    /// The outcome of a completed attempt, and its timeout stopped. Container steps report their inner steps'
    /// cancellation as a value: when it was the attempt's token (its timeout) that fired, not the run's, it is raised so
    /// the timeout reports TIMEOUT and retry sees it. A cancellation the timeout caused (not the outer token) becomes a
    /// <see cref="TimeoutRejectedException"/>, as Polly's timeout strategy makes it.
    /// </summary>
    private static Outcome<StepOutcome> EndAttempt(ValueTask<StepOutcome> completed, AttemptTimeout? timeout, TimeSpan? limit, CancellationToken outer, CancellationToken runToken)
    {
        Outcome<StepOutcome> outcome;
        try
        {
            var result = completed.Result;
            var attemptCancelled = timeout?.IsCancellationRequested ?? outer.IsCancellationRequested;
            outcome = result.Kind == StepOutcomeKind.Failed && attemptCancelled && !runToken.IsCancellationRequested
                ? Outcome.FromException<StepOutcome>(new OperationCanceledException(timeout?.Token ?? outer))
                : Outcome.FromResult(result);
        }
        catch (Exception ex)
        {
            outcome = Outcome.FromException<StepOutcome>(ex);
        }

        if (timeout is { } armed)
        {
            if (outcome.Exception is OperationCanceledException cancelled && armed.IsCancellationRequested && !outer.IsCancellationRequested)
            {
                outcome = Outcome.FromException<StepOutcome>(new TimeoutRejectedException(
                    string.Create(CultureInfo.InvariantCulture, $"The operation didn't complete within the allowed timeout of '{limit}'."), limit!.Value, cancelled));
            }

            armed.End();
        }

        return outcome;
    }

    /// <summary>The step's outcome once no attempt follows.</summary>
    private static StepOutcome Final(Outcome<StepOutcome> outcome, CancellationToken runToken) => outcome.Exception switch
    {
        null => outcome.Result!,
        TimeoutRejectedException timedOut => StepOutcome.Failure(
            string.Create(CultureInfo.InvariantCulture, $"The step timed out: an attempt took longer than {timedOut.Timeout.TotalMilliseconds} ms."), "TIMEOUT", retryable: true),
        OperationCanceledException when runToken.IsCancellationRequested => StepOutcome.Failure("The step was cancelled.", "CANCELLED"),
        var ex => StepOutcome.Failure($"{ex.GetType().Name}: {ex.Message}", "EXCEPTION"),
    };

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

    /// <summary>The state of one step's attempts through the pipeline (a class so the static callback can count them).</summary>
    private sealed class Attempts(StepContext context, StepHandler next, StepResilience resilience, Outcome<StepOutcome>? first, CancellationToken runToken)
    {
        private Outcome<StepOutcome>? _first = first;

        public StepContext Context { get; } = context;

        public StepHandler Next { get; } = next;

        public StepResilience Resilience { get; } = resilience;

        public CancellationToken RunToken { get; } = runToken;

        /// <summary>Attempts made so far (the first counts when it ran before the pipeline).</summary>
        public int Count { get; set; } = first is null ? 0 : 1;

        /// <summary>The first attempt's outcome, once, when that attempt ran before the pipeline.</summary>
        public Outcome<StepOutcome>? TakeFirst()
        {
            var taken = _first;
            _first = null;
            return taken;
        }
    }
}
