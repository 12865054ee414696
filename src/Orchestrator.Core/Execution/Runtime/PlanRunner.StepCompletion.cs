using System.Diagnostics;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The part of <see cref="PlanRunner"/> that completes steps: records a step's outcome (fallback, span, log, event,
/// audit), then, on the coordinator, checkpoints it and decides what the list does next; when the list stops, it marks
/// the steps that never finished as cancelled.
/// </summary>
internal sealed partial class PlanRunner
{
    /// <summary>Records the step's outcome (or its fallback), ends its span and reports it.</summary>
    private void FinishStep(StepContext context, StepOutcome outcome, long started, Activity? activity)
    {
        var record = context.Record;
        var step = record.Step;
        var time = Run.Runtime.TimeProvider;
        record.Attempts = Math.Max(record.Attempts, context.Attempt);
        var ended = time.GetTimestamp();
        record.ExecutionTime = time.GetElapsedTime(started, ended);
        if (outcome.Kind == StepOutcomeKind.Failed && _cancellation.IsCancellationRequested && outcome.ErrorCode is "CANCELLED" or "TIMEOUT")
        {
            record.Cancel(_failure is null ? "The run was cancelled." : "The run stopped while the step was running.");
        }
        else
        {
            record.Complete(Run.Budget.CheckOutput(step.Id, outcome, isLeaf: step is not (Model.LoopStep or Model.ParallelGroupStep or Model.ScatterGatherStep or Model.SubWorkflowStep)));
            if (record.Status == StepStatus.Failed && step.Fallback is { } fallback)
            {
                try
                {
                    record.UseFallback(TemplateEvaluator.Evaluate(fallback, _scope));
                }
                catch (Exception ex)
                {
                    // A fallback that cannot be evaluated leaves the failure standing, with why.
                    record.Complete(StepOutcome.Failure($"{record.Error} (and its fallback could not be evaluated: {ex.Message})", record.ErrorCode));
                }
            }
        }

        OrchestratorTelemetry.StepFinished(activity, record, record.ExecutionTime);
        if (record.Status == StepStatus.Failed)
        {
            Log.StepFailed(Run.Runtime.Logger, Run.ExecutionId, step.Id, step.Type, record.ErrorCode, record.Attempts);
        }

        if (Run.Events is not null)
        {
            Run.Emit(new StepFinishedEvent(Run.ExecutionId, Run.UtcAt(ended), _scope.IterationKey, record.ToResult()));
        }

        Run.Counters.StepExecuted();
        Run.Audit?.StepFinished(record, Run.AuditStepPrefix, _scope.IterationKey, context.Parameters, Run.UtcAt(ended));
    }

    /// <summary>Runs on the coordinator after a step finished: decides what the run does next.</summary>
    private void OnStepFinished(int v)
    {
        var record = _scope.Records[v]!;
        Run.Checkpoints?.StepFinished(_scope, record);
        switch (record.Status)
        {
            case StepStatus.Succeeded:
                // A result served from the cache did nothing in this run, so there is nothing of this run to undo.
                if (record.Step.RollbackAction is not null && !record.CacheHit)
                {
                    Run.RecordCompensation(record, _scope);
                }

                ReleaseDependents(v, record);
                break;
            case StepStatus.Skipped:
                ReleaseDependents(v, record);
                break;
            case StepStatus.Suspended:
                _suspended = true; // Its dependents wait; the rest of the list goes on.
                break;
            case StepStatus.Failed when record.FailureTolerated:
                Run.MarkDegraded();
                ReleaseDependents(v, record);
                break;
            case StepStatus.Failed:
                _failure ??= new ListRunOutcome(ListRunStatus.Failed, $"Step '{record.Step.Id}' failed: {record.Error}", record.ErrorCode, record.Step.Id);
                _cancellation.Cancel();
                break;
            default:
                _failure ??= new ListRunOutcome(ListRunStatus.Cancelled, "The run was cancelled.", "CANCELLED", null);
                _cancellation.Cancel();
                break;
        }
    }

    /// <summary>Marks every step of a stopped list that did not reach a final state as cancelled, and reports it.</summary>
    private void CancelUnfinished(string reason)
    {
        var steps = _scope.Plan.Steps;
        for (var v = 0; v < steps.Count; v++)
        {
            if (_scope.Records[v] is not { IsFinal: true })
            {
                var record = _scope.Records[v] ??= new StepRecord(steps[v].Step, _scope.Usage);
                record.Cancel(reason);
                var now = Run.Now;
                if (Run.Events is not null)
                {
                    Run.Emit(new StepFinishedEvent(Run.ExecutionId, now, _scope.IterationKey, record.ToResult()));
                }

                Run.Audit?.StepFinished(record, Run.AuditStepPrefix, _scope.IterationKey, default, now);
            }
        }
    }
}
