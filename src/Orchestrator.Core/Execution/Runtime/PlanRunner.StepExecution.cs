using System.Diagnostics;
using Orchestrator.Core.Execution.Handlers;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The part of <see cref="PlanRunner"/> that runs one step: through the step pipeline, or straight to its plugin when no
/// middleware acts on it, never throwing, and always handing its completion back.
/// </summary>
internal sealed partial class PlanRunner
{
    /// <summary>
    /// Runs one step through the pipeline and hands its completion to the coordinator (see <see cref="_handoff"/>). Never
    /// throws. With <paramref name="resilience"/>, the step is an action no middleware acts on but its retry or timeout:
    /// it goes to the resilience layer with its parameters resolved, past the pipeline's links that would pass it through.
    /// </summary>
    private async ValueTask RunStepAsync(int v, StepResilience? resilience = null)
    {
        Activity? activity = null;
        try
        {
            var context = StartStep(v, out var started, out activity);
            StepOutcome outcome;
            try
            {
                outcome = Run.Budget.TryStartStep(context.Step.Id) ?? await Pipeline(context, resilience).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                outcome = Unhandled(ex);
            }

            FinishStep(context, outcome, started, activity);
        }
        catch (Exception ex)
        {
            BookkeepingFailed(v, ex, activity);
        }
        finally
        {
            HandOff(v);
        }
    }

    /// <summary>
    /// <see cref="RunStepAsync"/> for an action step no middleware acts on: what the pipeline would do (resolve the
    /// parameters, then <see cref="ActionHandler.ExecuteAsync"/>), with the plugin awaited here. A step whose plugin
    /// completes later then suspends one async method instead of two, so it allocates one state machine and a smaller one
    /// (its awaiter holds a <see cref="PluginResult"/> reference, not a <see cref="StepOutcome"/>: so a step with a retry
    /// or timeout, whose outcome is awaited, is run by <see cref="RunStepAsync"/> instead).
    /// </summary>
    private async ValueTask RunActionStepAsync(int v)
    {
        Activity? activity = null;
        try
        {
            var context = StartStep(v, out var started, out activity);
            StepOutcome outcome;
            try
            {
                ParameterResolutionMiddleware.Resolve(context);
                if ((Run.Budget.TryStartStep(context.Step.Id) ?? Run.Budget.TryStartCall(context.Step.Id)) is { } overBudget)
                {
                    outcome = overBudget;
                }
                else
                {
                    var request = ActionHandler.Start(context);
                    PluginResult result;
                    await Run.Budget.EnterAsync(context.CancellationToken).ConfigureAwait(false);
                    try
                    {
                        result = await Run.Runtime.Plugins.ExecuteAsync(request, context.CancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ActionHandler.IsPluginFault(ex, context))
                    {
                        result = ActionHandler.Threw(context, ex);
                    }
                    finally
                    {
                        Run.Budget.Exit();
                    }

                    outcome = ActionHandler.ToOutcome(context, result);
                }
            }
            catch (Exception ex)
            {
                outcome = Unhandled(ex);
            }

            FinishStep(context, outcome, started, activity);
        }
        catch (Exception ex)
        {
            BookkeepingFailed(v, ex, activity);
        }
        finally
        {
            HandOff(v);
        }
    }

    /// <summary>
    /// The step pipeline, or, for an action step whose only middleware is its retry or timeout, what the pipeline would do
    /// for it: resolve its parameters and run it under <paramref name="resilience"/>.
    /// </summary>
    private ValueTask<StepOutcome> Pipeline(StepContext context, StepResilience? resilience)
    {
        if (resilience is null)
        {
            return Run.Runtime.Pipeline(context);
        }

        ParameterResolutionMiddleware.Resolve(context);
        return ResilienceMiddleware.InvokeAsync(context, StepHandlers.Last, resilience);
    }

    /// <summary>Marks the step started (clock, span, event) and makes its context.</summary>
    private StepContext StartStep(int v, out long started, out Activity? activity)
    {
        var record = _scope.Records[v]!;
        var step = record.Step;
        started = Run.Runtime.TimeProvider.GetTimestamp();
        activity = OrchestratorTelemetry.StartStep(step, _parentActivity);
        record.ExecutedAt = Run.UtcAt(started);
        if (Run.Events is not null)
        {
            Run.Emit(new StepStartedEvent(Run.ExecutionId, record.ExecutedAt, step.Id, _scope.IterationKey));
        }

        return new StepContext(_scope, record, _cancellation.Token);
    }

    /// <summary>What a step that threw came to: a handler or middleware bug must not take the run down unreported.</summary>
    private StepOutcome Unhandled(Exception exception) =>
        exception is OperationCanceledException && _cancellation.IsCancellationRequested
            ? StepOutcome.Failure("The step was cancelled.", "CANCELLED")
            : StepOutcome.Failure($"{exception.GetType().Name}: {exception.Message}", "EXCEPTION");

    /// <summary>
    /// What steps throw is caught where they run; should the bookkeeping itself throw, the step fails with the reason
    /// instead of the exception going unobserved.
    /// </summary>
    private void BookkeepingFailed(int v, Exception exception, Activity? activity)
    {
        _scope.Records[v]!.Complete(StepOutcome.Failure($"{exception.GetType().Name}: {exception.Message}", "EXCEPTION"));
        activity?.Dispose(); // Its span ends too (stopping a stopped activity does nothing).
    }
}
