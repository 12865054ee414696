using System.Collections.Concurrent;
using System.Diagnostics;
using Orchestrator.Core.Execution.Handlers;
using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Runs one planned step list. Scheduling state has one owner at a time, the coordinator, so no locks are needed: it
/// starts every step the moment its last dependency finishes (not level by level), up to the concurrency limit. Steps
/// that complete synchronously are handled inline; a step that completes later queues its index and, when no one is
/// coordinating, coordinates itself on its own thread (no extra thread-pool hop per step). Nothing blocks a thread.
/// </summary>
internal sealed class PlanRunner
{
    private readonly StepScope _scope;
    private readonly int _limit;
    private readonly int[] _remaining;

    /// <summary>
    /// Per step, who reports its completion: 0 while the coordinator is still inside the call that started it,
    /// 1 once the coordinator has moved on (the step then reports through the channel), 2 when the step finished before
    /// that (the coordinator handles it). This costs one interlocked operation instead of a wrapper task per step.
    /// </summary>
    private readonly int[] _handoff;
    private readonly Queue<int> _ready = new();
    private readonly CancellationTokenSource _cancellation;
    private readonly ConcurrentQueue<int> _completed = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The span steps of this list are children of: the run's, or the enclosing step's for a nested list. Captured when
    /// the list starts, because the thread that starts a step may be coordinating from inside another step.
    /// </summary>
    private readonly Activity? _parentActivity = Activity.Current;
    private CancellationToken _callerToken;

    /// <summary>1 while a thread is coordinating (owns the scheduling state), 0 otherwise.</summary>
    private int _coordinating;
    private int _running;
    private ListRunOutcome? _failure;
    private bool _suspended;

    private PlanRunner(StepScope scope, int limit, CancellationToken cancellationToken)
    {
        _scope = scope;
        _limit = limit;
        _remaining = new int[scope.Plan.Steps.Count];
        _handoff = new int[scope.Plan.Steps.Count];
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    private RunContext Run => _scope.Run;

    /// <summary>Runs the list; records of steps already final (a resumed run) are kept and not run again.</summary>
    public static async ValueTask<ListRunOutcome> RunAsync(StepScope scope, int maxConcurrency, CancellationToken cancellationToken)
    {
        var runner = new PlanRunner(scope, Math.Max(1, Math.Min(maxConcurrency, scope.Run.Runtime.Options.MaxParallelism)), cancellationToken);
        try
        {
            return await runner.RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            runner._cancellation.Dispose();
        }
    }

    private async ValueTask<ListRunOutcome> RunCoreAsync(CancellationToken callerToken)
    {
        var plan = _scope.Plan;
        var steps = plan.Steps;
        for (var v = 0; v < steps.Count; v++)
        {
            _remaining[v] = steps[v].Dependencies.Count;
            if (_remaining[v] == 0)
            {
                _ready.Enqueue(v);
            }
        }

        _callerToken = callerToken;
        Pump();
        await _idle.Task.ConfigureAwait(false);

        // A run cancelled while its last steps ran (plugins that ignore their token and finish anyway) is still
        // cancelled: the caller asked it to stop and must not be told it succeeded.
        if (_failure is null && callerToken.IsCancellationRequested)
        {
            _failure = new ListRunOutcome(ListRunStatus.Cancelled, "The run was cancelled.", "CANCELLED", null);
        }

        if (_failure is { } failure)
        {
            var reason = failure.Status == ListRunStatus.Cancelled
                ? "The run was cancelled."
                : $"The run stopped: step '{failure.FailedStepId}' failed.";
            for (var v = 0; v < steps.Count; v++)
            {
                if (_scope.Records[v] is not { IsFinal: true })
                {
                    var record = _scope.Records[v] ??= new StepRecord(steps[v].Step, _scope.Usage);
                    record.Cancel(reason);
                    if (Run.Events is not null)
                    {
                        Run.Emit(new StepFinishedEvent(Run.ExecutionId, Run.Now, _scope.IterationKey, record.ToResult()));
                    }

                    Run.Audit?.StepFinished(record, Run.AuditStepPrefix, _scope.IterationKey, default);
                }
            }

            if (failure.Status == ListRunStatus.Failed)
            {
                await RollbackAsync().ConfigureAwait(false);
            }

            return failure;
        }

        return _suspended
            ? new ListRunOutcome(ListRunStatus.Suspended, null, null, null)
            : new ListRunOutcome(ListRunStatus.Completed, null, null, null);
    }

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

            if (_completed.IsEmpty)
            {
                return;
            }
        }
    }

    private void Coordinate()
    {
        while (true)
        {
            while (_completed.TryDequeue(out var finished))
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
                _ = Run.Runtime.CallsPluginDirectly(_scope.Records[v]!.Step) ? RunActionStepAsync(v) : RunStepAsync(v);
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

            return;
        }
    }

    /// <summary>Handles steps that are already final (resume), or skipped by a branch or by <c>executeIf</c>.</summary>
    private bool TryFinishWithoutRunning(int v)
    {
        var planned = _scope.Plan.Steps[v];
        var record = _scope.Records[v];
        if (record is { IsFinal: true })
        {
            ReleaseDependents(v, record);
            if (record.Status == StepStatus.Succeeded && record.Step.RollbackAction is not null && !record.CacheHit)
            {
                Run.RecordCompensation(record, _scope);
            }

            return true;
        }

        record = _scope.Records[v] = new StepRecord(planned.Step, _scope.Usage);
        string? skipReason = null;
        var branchSkip = false;
        if (planned.BranchOwner is { } owner)
        {
            var ownerRecord = _scope.Records[owner.Index]!;
            if ((ownerRecord.Status != StepStatus.Succeeded || !Contains(ownerRecord.ChosenTargets, planned.Id)) && !SelectedByAnotherOwner(v, owner.Index))
            {
                skipReason = ownerRecord.Status == StepStatus.Succeeded
                    ? $"The branch of '{owner.Id}' that includes this step was not taken."
                    : $"'{owner.Id}', whose branch this step is on, did not succeed.";
                branchSkip = true;
            }
        }
        else if (planned.Dependencies.Count > 0 && AllDependenciesBranchSkipped(planned))
        {
            skipReason = "Every step it depends on is on a branch that was not taken.";
            branchSkip = true;
        }

        if (skipReason is null && planned.Step.ExecuteIf is { } condition && !ConditionEvaluator.Evaluate(condition, _scope))
        {
            skipReason = "Its executeIf condition is false.";
        }

        if (skipReason is null)
        {
            return false;
        }

        record.ExecutedAt = Run.Now;
        record.Skip(skipReason, branchSkip);
        Run.Checkpoints?.StepFinished(_scope, record);
        if (Run.Events is not null)
        {
            Run.Emit(new StepFinishedEvent(Run.ExecutionId, record.ExecutedAt, _scope.IterationKey, record.ToResult()));
        }

        Run.Audit?.StepFinished(record, Run.AuditStepPrefix, _scope.IterationKey, default);
        ReleaseDependents(v, record);
        return true;
    }

    /// <summary>Whether a branching step other than the first owner selected step <paramref name="v"/> (a step may be the target of several).</summary>
    private bool SelectedByAnotherOwner(int v, int firstOwner)
    {
        var plan = _scope.Plan;
        var offsets = plan.PredecessorOffsets;
        for (var slot = offsets[v]; slot < offsets[v + 1]; slot++)
        {
            var owner = plan.PredecessorAt(slot);
            if (owner != firstOwner && plan.EdgeKind(slot) == Planning.PlanEdgeKind.Branch
                && _scope.Records[owner] is { Status: StepStatus.Succeeded } record
                && Contains(record.ChosenTargets, _scope.Plan.Steps[v].Id))
            {
                return true;
            }
        }

        return false;
    }

    private bool AllDependenciesBranchSkipped(Planning.PlannedStep planned)
    {
        foreach (var dependency in planned.Dependencies.Indexes)
        {
            if (_scope.Records[dependency] is not { BranchSkipped: true })
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs one step through the pipeline and hands its completion to the coordinator (see <see cref="_handoff"/>). Never throws.</summary>
    private async ValueTask RunStepAsync(int v)
    {
        Activity? activity = null;
        try
        {
            var context = StartStep(v, out var started, out activity);
            StepOutcome outcome;
            try
            {
                outcome = Run.Budget.TryStartStep(context.Step.Id) ?? await Run.Runtime.Pipeline(context).ConfigureAwait(false);
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
    /// (its awaiter holds a <see cref="PluginResult"/> reference, not a <see cref="StepOutcome"/>).
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
        Run.Audit?.StepFinished(record, Run.AuditStepPrefix, _scope.IterationKey, context.Parameters);
    }

    /// <summary>
    /// What steps throw is caught where they run; should the bookkeeping itself throw, the step fails with the reason
    /// instead of the exception going unobserved.
    /// </summary>
    private void BookkeepingFailed(int v, Exception exception, Activity? activity)
    {
        _scope.Records[v]!.Complete(StepOutcome.Failure($"{exception.GetType().Name}: {exception.Message}", "EXCEPTION"));
        activity?.Dispose(); // Its span ends too (stopping a stopped activity does nothing).
    }

    /// <summary>The last thing a step does: reports its completion to the coordinator (see <see cref="_handoff"/>).</summary>
    private void HandOff(int v)
    {
        if (Interlocked.CompareExchange(ref _handoff[v], 2, 0) == 1)
        {
            _completed.Enqueue(v);
            Pump();
        }
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

    /// <summary>
    /// Compensates the completed steps of this list, and of the lists nested in it, that declare a rollback action,
    /// newest first; each reads its own output in the scope it ran in.
    /// </summary>
    private async ValueTask RollbackAsync()
    {
        foreach (var (record, scope) in Run.TakeCompensations(_scope))
        {
            var rollback = record.Step.RollbackAction!;
            var request = new PluginRequest
            {
                ExecutionId = Run.ExecutionId,
                UserId = Run.UserId,
                AgentId = Run.AgentId,
                StepId = record.Step.Id,
                Plugin = rollback.Plugin,
                Action = rollback.Action,
                Parameters = rollback.Params is null ? JsonValues.EmptyObject : TemplateEvaluator.Evaluate(rollback.Params, scope),
                IdempotencyKey = Run.ExecutionId + ":" + scope.IterationKey + record.Step.Id + ":rollback",
            };

            if (_callerToken.IsCancellationRequested)
            {
                Run.Warnings.Enqueue($"Rollback of step '{record.Step.Id}' was not run: the run was cancelled.");
                continue;
            }

            // Bounded by SideCallTimeout and the run's own cancellation: a rollback that hangs (even one that ignores its
            // token) is abandoned and reported, never waited on forever.
            var runtime = Run.Runtime;
            var timeout = runtime.Options.SideCallTimeout;
            using var timer = new CancellationTokenSource(timeout, runtime.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_callerToken, timer.Token);
            try
            {
                var result = await SideCalls.BoundAsync(runtime.Plugins.ExecuteAsync(request, linked.Token), timeout, runtime.TimeProvider, linked.Token).ConfigureAwait(false);
                if (!result.Success)
                {
                    Run.Warnings.Enqueue($"Rollback of step '{record.Step.Id}' failed: {result.Error}");
                }
            }
            catch (OperationCanceledException) when (_callerToken.IsCancellationRequested)
            {
                Run.Warnings.Enqueue($"Rollback of step '{record.Step.Id}' was abandoned: the run was cancelled.");
            }
            catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && timer.IsCancellationRequested))
            {
                Run.Warnings.Enqueue(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Rollback of step '{record.Step.Id}' did not finish within {timeout.TotalMilliseconds} ms and was abandoned."));
            }
            catch (Exception ex)
            {
                Run.Warnings.Enqueue($"Rollback of step '{record.Step.Id}' failed: {ex.Message}");
            }
        }
    }

    private static bool Contains(EquatableArray<string> ids, string id)
    {
        foreach (var candidate in ids)
        {
            if (string.Equals(candidate, id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
