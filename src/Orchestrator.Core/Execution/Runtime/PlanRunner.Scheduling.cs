using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The scheduling part of <see cref="PlanRunner"/>: who coordinates, which ready step starts next (dependency counts,
/// the concurrency limit, cancellation), and how a step that finishes hands its completion back.
/// </summary>
internal sealed partial class PlanRunner
{
    /// <summary>
    /// Coordinates if no one else is: handles queued completions and starts what is ready. A thread that finds another
    /// coordinating leaves its completion queued; the coordinator looks at the queue again after letting go.
    /// </summary>
    private void Pump()
    {
        while (Interlocked.CompareExchange(ref _coordinating, 1, 0) == 0)
        {
            try
            {
                Coordinate();
            }
            catch (Exception ex)
            {
                // A bug in scheduling must end the list visibly, not hang it.
                _idle.TrySetException(ex);
            }
            finally
            {
                // A full fence, not just a release: the read of the queue below must not move before this store, or a
                // step that queued its completion while we were coordinating (and saw us busy) would never be handled.
                Interlocked.Exchange(ref _coordinating, 0);
            }

            if (Volatile.Read(ref _completed) is not { IsEmpty: false })
            {
                return;
            }
        }
    }

    private void Coordinate()
    {
        while (true)
        {
            while (Volatile.Read(ref _completed) is { } completed && completed.TryDequeue(out var finished))
            {
                _running--;
                OnStepFinished(finished);
            }

            if (_failure is null && _ready.Count > 0 && _running < _limit)
            {
                if (_callerToken.IsCancellationRequested)
                {
                    _failure = new ListRunOutcome(ListRunStatus.Cancelled, "The run was cancelled.", "CANCELLED", null);
                    continue;
                }

                var v = _ready.Dequeue();
                if (TryFinishWithoutRunning(v))
                {
                    continue;
                }

                _running++;
                _handoff[v] = 0;

                // The step methods never throw and are not pooled, so their ValueTask needs no awaiting: the step reports
                // its completion through _handoff instead of a wrapper task.
#pragma warning disable CA2012
                _ = !Run.Runtime.CallsPluginDirectly(_scope.Records[v]!.Step, out var resilience) ? RunStepAsync(v)
                    : resilience is null ? RunActionStepAsync(v) : RunStepAsync(v, resilience);
#pragma warning restore CA2012
                if (Interlocked.CompareExchange(ref _handoff[v], 1, 0) == 2)
                {
                    _running--;
                    OnStepFinished(v);
                }

                continue;
            }

            if (_running == 0)
            {
                _idle.TrySetResult(); // Nothing runs and nothing more can start: the list is done (or stopped, or suspended).
            }
            else
            {
                // The list waits for a step that did not complete at once: what the audit trail captured goes to the sinks now.
                Run.Audit?.Flush();
            }

            return;
        }
    }

    /// <summary>The last thing a step does: reports its completion to the coordinator (see <see cref="_handoff"/>).</summary>
    private void HandOff(int v)
    {
        if (Interlocked.CompareExchange(ref _handoff[v], 2, 0) == 1)
        {
            LazyInitializer.EnsureInitialized(ref _completed, static () => new System.Collections.Concurrent.ConcurrentQueue<int>()).Enqueue(v);
            Pump();
        }
    }

    private void ReleaseDependents(int v, StepRecord record)
    {
        if (record.Step is ConditionalStep or SwitchStep && record.Status != StepStatus.Succeeded)
        {
            record.ChosenTargets = default;
        }

        foreach (var dependent in _scope.Plan.Steps[v].Dependents.Indexes)
        {
            if (--_remaining[dependent] == 0)
            {
                _ready.Enqueue(dependent);
            }
        }
    }
}
