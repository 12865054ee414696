using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The scheduling part of <see cref="PlanRunner"/>: who coordinates, which ready steps start next (dependency counts,
/// the concurrency limit, cancellation), who starts them, and how a step that finishes hands its completion back.
/// </summary>
internal sealed partial class PlanRunner
{
    /// <summary>Most steps one pass of the coordinator takes to start while steps await (a stack buffer in <see cref="Pump"/>).</summary>
    private const int StartBatch = 16;

    /// <summary>
    /// Coordinates if no one else is: handles queued completions and takes the steps that are ready, then lets go of the
    /// scheduling state and starts them. Starting outside the coordinator's role is what lets two threads start steps
    /// at once: while this thread runs the first part of its steps (up to where they await), a thread whose step finished
    /// can coordinate and start the steps that one released. A thread that finds another coordinating leaves its
    /// completion queued; the coordinator looks at the queue again after letting go.
    /// </summary>
    private void Pump()
    {
        if (Interlocked.CompareExchange(ref _coordinating, 1, 0) != 0)
        {
            return;
        }

        Span<int> batch = stackalloc int[StartBatch];
        while (true)
        {
            var taken = 0;
            try
            {
                // While steps complete at once, one at a time: each one's completion is then handled before the next is
                // taken, as if the list ran them in a loop (a failure stops the next one from starting; skips and events
                // come in the same order on every run).
                taken = Coordinate(Volatile.Read(ref _stepsAwait) ? batch : batch[..1]);
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

            if (taken > 0)
            {
                if (StartSteps(batch[..taken]))
                {
                    continue; // The last step completed at once and this thread coordinates again to handle it.
                }
            }
            else if (Volatile.Read(ref _completed) is not { IsEmpty: false })
            {
                return;
            }

            // What is ready beyond the batch, and completions queued meanwhile, want a coordinator.
            if (Interlocked.CompareExchange(ref _coordinating, 1, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Owns the scheduling state: handles queued completions, finishes ready steps that must not run, and takes steps to
    /// start into <paramref name="batch"/>. Returns how many it took (0 when none can start now).
    /// </summary>
    private int Coordinate(Span<int> batch)
    {
        var taken = 0;
        while (true)
        {
            while (Volatile.Read(ref _completed) is { } completed && completed.TryDequeue(out var finished))
            {
                Completed(finished);
            }

            if (_failure is null && _ready.Count > 0 && _running < _limit && taken < batch.Length)
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
                batch[taken++] = v;
                continue;
            }

            if (taken > 0)
            {
                return taken;
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

            return 0;
        }
    }

    /// <summary>
    /// Starts the steps the coordinator took, outside its role. A step that completes inside the call that started it is
    /// reported at once; one the list stopped for after it was taken does not start. Returns whether this thread holds the
    /// coordinator's role: it keeps it after handling the last step's completion, to go on coordinating.
    /// </summary>
    private bool StartSteps(ReadOnlySpan<int> batch)
    {
        for (var i = 0; i < batch.Length; i++)
        {
            var v = batch[i];
            var last = i == batch.Length - 1;
            if (_cancellation.IsCancellationRequested)
            {
                // A step failed or the run was cancelled after this one was taken: it does not start (as if it had not
                // been ready yet) and is marked cancelled with the other unfinished steps when the list stops.
                if (Report(~v, keep: last))
                {
                    return true;
                }

                continue;
            }

            // The step methods never throw and are not pooled, so their ValueTask needs no awaiting: the step reports
            // its completion through _handoff instead of a wrapper task.
#pragma warning disable CA2012
            _ = !Run.Runtime.CallsPluginDirectly(_scope.Records[v]!.Step, out var resilience) ? RunStepAsync(v)
                : resilience is null ? RunActionStepAsync(v) : RunStepAsync(v, resilience);
#pragma warning restore CA2012
            var completedAtOnce = Interlocked.CompareExchange(ref _handoff[v], 1, 0) == 2;
            if (_stepsAwait == completedAtOnce)
            {
                _stepsAwait = !completedAtOnce;
            }

            if (completedAtOnce && Report(v, keep: last))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reports a completion from outside the coordinator's role: handled here if no one coordinates, else queued for the
    /// one who does (the thread that started the batch tries to coordinate again after it, so none is left behind).
    /// Returns whether this thread now holds the role, which it keeps only when <paramref name="keep"/> is set.
    /// </summary>
    private bool Report(int v, bool keep)
    {
        if (Interlocked.CompareExchange(ref _coordinating, 1, 0) != 0)
        {
            CompletedQueue.Enqueue(v);
            return false;
        }

        try
        {
            Completed(v);
        }
        catch (Exception ex)
        {
            _idle.TrySetException(ex);
        }

        if (!keep)
        {
            Interlocked.Exchange(ref _coordinating, 0);
        }

        return keep;
    }

    /// <summary>On the coordinator: a started step finished (<paramref name="v"/>), or a taken one did not start (<c>~v</c>).</summary>
    private void Completed(int v)
    {
        _running--;
        if (v >= 0)
        {
            OnStepFinished(v);
        }
    }

    private System.Collections.Concurrent.ConcurrentQueue<int> CompletedQueue =>
        LazyInitializer.EnsureInitialized(ref _completed, static () => new System.Collections.Concurrent.ConcurrentQueue<int>());

    /// <summary>The last thing a step does: reports its completion to the coordinator (see <see cref="_handoff"/>).</summary>
    private void HandOff(int v)
    {
        if (Interlocked.CompareExchange(ref _handoff[v], 2, 0) == 1)
        {
            CompletedQueue.Enqueue(v);
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
