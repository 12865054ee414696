using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;
using Orchestrator.Orleans.Hosting;
using Orchestrator.Orleans.Serialization;
using Orleans.Concurrency;

namespace Orchestrator.Orleans.Grains;

/// <summary>
/// Runs one run with the silo's own orchestrator (the host's plugins, LLM, memory, audit and checkpoint store). Orleans'
/// single activation per key replaces the leases of <c>PostgreSqlRunHost</c>. An unfinished run keeps a durable
/// reminder, so when its silo dies the reminder's next tick (or the next call of a waiting client) activates the grain
/// on a live silo, which resumes the run from its checkpoint. A suspended run keeps a reminder only until its earliest
/// approval timeout, and its grain is deactivated: it costs no memory anywhere.
/// </summary>
/// <remarks>
/// Reentrant: waits, cancels and status reads interleave with the run, which goes on in the background of the
/// activation (all of the grain's own state is touched on the activation's scheduler only).
/// </remarks>
[Reentrant]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The run's cancellation source is disposed when the activation ends (OnDeactivateAsync), as Orleans owns the grain's lifetime.")]
internal sealed class WorkflowRunGrain : Grain, IWorkflowRunGrain, IRemindable
{
    internal const string ReminderName = "orchestrator-run";

    private readonly WorkflowOrchestrator _orchestrator;
    private readonly WorkflowPlanner _planner;
    private readonly ICheckpointStore _store;
    private readonly RunFence _fence;
    private readonly OrleansRunGrainOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>The run going on in this activation; its result as JSON, or null when it was handed over.</summary>
    private Task<string?>? _running;
    private CancellationTokenSource? _cancel;
    private IRunEventObserver? _observer;

    public WorkflowRunGrain(WorkflowOrchestrator orchestrator, WorkflowPlanner planner, ICheckpointStore store, RunFence fence, IOptions<OrleansRunGrainOptions> options, TimeProvider time, ILogger<WorkflowRunGrain> logger)
    {
        _orchestrator = orchestrator;
        _planner = planner;
        _store = store;
        _fence = fence;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private string ExecutionId => this.GetPrimaryKeyString();

    private bool IsRunning => _running is { IsCompleted: false };

    public async Task StartAsync(string definitionJson, string requestJson, IRunEventObserver? observer)
    {
        if (observer is not null)
        {
            _observer = observer;
        }

        if (IsRunning)
        {
            return;
        }

        if (await _store.LoadAsync(ExecutionId).ConfigureAwait(true) is { } stored)
        {
            // Started before (a client retrying after its silo died): continue or report it, never start it twice.
            if (stored.Status == CheckpointStatus.Running)
            {
                await ContinueAsync(options: null, "started again by its client").ConfigureAwait(true);
            }

            return;
        }

        var loaded = WorkflowJson.Load(definitionJson);
        var request = RunJson.Deserialize<WorkflowExecutionRequest>(requestJson) with { ExecutionId = ExecutionId };
        if (loaded.Definition is not { } definition || _planner.Plan(definition).Plan is not { } plan)
        {
            // The orchestrator names the problems of a definition that loads but does not plan; one that does not even
            // load is rejected here, in the same shape.
            _running = loaded.Definition is { } unplannable
                ? RunAsync(token => _orchestrator.ExecuteAsync(unplannable, request, token), keepReminder: false)
                : Task.FromResult<string?>(RunJson.Serialize(Rejected(string.Join("; ", loaded.Diagnostics.Where(d => d.IsError)), "INVALID_WORKFLOW")));
            return;
        }

        await KeepReminderAsync(_options.ReminderPeriod).ConfigureAwait(true);
        _running = _observer is null
            ? RunAsync(token => _orchestrator.ExecuteAsync(plan, request, token), keepReminder: true)
            : RunAsync(token => StreamAsync(plan, request, token), keepReminder: true);
    }

    public async Task<RunReply> WaitAsync(TimeSpan maxWait, IRunEventObserver? observer)
    {
        if (observer is not null)
        {
            _observer = observer;
        }

        if (!IsRunning && (_running is null || _running.Result is null))
        {
            // Nothing ran here yet, or the last attempt stopped without an end (handed over, or the store refused
            // its writes): what the store holds decides.
            var stored = await _store.LoadAsync(ExecutionId).ConfigureAwait(true);
            switch (stored?.Status)
            {
                case null:
                    return new RunReply(RunState.NotFound, null);
                case CheckpointStatus.Suspended:
                    return new RunReply(RunState.Suspended, null);
                case CheckpointStatus.Finished:
                    // The stored result: nothing runs again.
                    _running = RunAsync(token => _orchestrator.ResumeAsync(ExecutionId, token), keepReminder: false);
                    break;
                default:
                    await ContinueAsync(options: null, "a caller waits for it").ConfigureAwait(true);
                    break;
            }
        }

        var running = _running!;
        try
        {
            var json = await running.WaitAsync(maxWait, _time).ConfigureAwait(true);
            if (json is null)
            {
                return new RunReply(RunState.HandedOver, null);
            }

            var result = RunJson.Deserialize<WorkflowExecutionResult>(json);
            return new RunReply(result.Status == ExecutionStatus.Suspended ? RunState.Suspended : RunState.Finished, json, (int)result.Status);
        }
        catch (TimeoutException)
        {
            return new RunReply(RunState.Running, null);
        }
    }

    public async Task<bool> ResumeAsync(string? definitionJson, bool allowDefinitionChange)
    {
        if (IsRunning)
        {
            return true;
        }

        if (await _store.LoadAsync(ExecutionId).ConfigureAwait(true) is null)
        {
            return false;
        }

        ResumeOptions? options = null;
        if (definitionJson is not null)
        {
            var loaded = WorkflowJson.Load(definitionJson);
            if (loaded.Definition is not { } definition)
            {
                _running = Task.FromResult<string?>(RunJson.Serialize(Rejected(string.Join("; ", loaded.Diagnostics.Where(d => d.IsError)), "INVALID_WORKFLOW")));
                return true;
            }

            options = new ResumeOptions { Definition = definition, AllowDefinitionChange = allowDefinitionChange };
        }

        await ContinueAsync(options, "resumed by its client").ConfigureAwait(true);
        return true;
    }

    public async Task<bool> SubmitApprovalAsync(string decisionJson)
    {
        var decision = RunJson.Deserialize<ApprovalDecision>(decisionJson) with { ExecutionId = ExecutionId };
        return await _orchestrator.SubmitApprovalAsync(decision).ConfigureAwait(true);
    }

    public async Task<bool> CancelAsync()
    {
        if (!IsRunning || _cancel is null)
        {
            return false;
        }

        await _cancel.CancelAsync().ConfigureAwait(true);
        return true;
    }

    public async Task<RunReply> GetStatusAsync()
    {
        var stored = await _store.LoadAsync(ExecutionId).ConfigureAwait(true);
        return stored switch
        {
            null when IsRunning => new RunReply(RunState.Running, null),
            null => new RunReply(RunState.NotFound, null),
            { Status: CheckpointStatus.Running } => new RunReply(RunState.Running, null),
            { Status: CheckpointStatus.Suspended } => new RunReply(RunState.Suspended, null),
            _ => new RunReply(RunState.Finished, null, (int?)stored.Outcome),
        };
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (IsRunning)
        {
            return; // The tick keeps the activation busy, so Orleans does not collect it mid-run.
        }

        var stored = await _store.LoadAsync(ExecutionId).ConfigureAwait(true);
        switch (stored?.Status)
        {
            case CheckpointStatus.Running:
                await ContinueAsync(options: null, "its reminder fired after its silo stopped").ConfigureAwait(true);
                break;
            case CheckpointStatus.Suspended:
                // An approval timeout is due: resuming applies it (or suspends again until the next one).
                await ContinueAsync(options: null, "an approval timeout is due").ConfigureAwait(true);
                break;
            default:
                // Finished, or never stored (its silo died before the run's header was written; the client starts it again).
                await DropReminderAsync().ConfigureAwait(true);
                DeactivateOnIdle();
                break;
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            // Hand over: from now on this silo writes nothing of the run, so it stops without recording an end (a
            // cancelled run would be stored as finished); the reminder, or the next call, resumes it elsewhere.
            _fence.Fence(ExecutionId);
            Log.RunHandedOver(_logger, ExecutionId);
            await _cancel!.CancelAsync().ConfigureAwait(true);
            try
            {
                await _running!.WaitAsync(_options.HandOverTimeout, _time, cancellationToken).ConfigureAwait(true);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                Log.HandOverTimedOut(_logger, ExecutionId);
            }
        }

        _cancel?.Dispose();
        await base.OnDeactivateAsync(reason, cancellationToken).ConfigureAwait(true);
    }

    private async Task ContinueAsync(ResumeOptions? options, string reason)
    {
        await KeepReminderAsync(_options.ReminderPeriod).ConfigureAwait(true);
        Log.RunResumed(_logger, ExecutionId, reason);
        _running = RunAsync(token => _orchestrator.ResumeAsync(ExecutionId, options, token), keepReminder: true);
    }

    /// <summary>Runs (or resumes) the run to its end or suspension; returns its result as JSON, or null when handed over.</summary>
    private async Task<string?> RunAsync(Func<CancellationToken, ValueTask<WorkflowExecutionResult>> run, bool keepReminder)
    {
        _fence.Admit(ExecutionId);
        _cancel?.Dispose();
        _cancel = new CancellationTokenSource();
        WorkflowExecutionResult result;
        try
        {
            result = await run(_cancel.Token).ConfigureAwait(true);
        }
        catch (Exception ex) when (!_fence.IsFenced(ExecutionId))
        {
            // "Already running in this orchestrator" and the like: the caller gets a failed result, the reminder retries.
            Log.RunFailed(_logger, ExecutionId, ex);
            return RunJson.Serialize(Rejected($"The run could not run on this silo ({ex.GetType().Name}: {ex.Message}).", "RUN_GRAIN_FAILED") with { Status = ExecutionStatus.Failed });
        }
        catch (Exception)
        {
            return null; // Handed over mid-call: not the run's end.
        }

        if (_fence.IsFenced(ExecutionId) || string.Equals(result.ErrorCode, CheckpointErrorCodes.CheckpointFailed, StringComparison.Ordinal))
        {
            // Not the run's end: it was handed over, or the store refused its writes. What it did is stored as
            // running; the reminder (or the caller's next wait) resumes it once a silo can write it again.
            return null;
        }

        if (keepReminder)
        {
            await SettleReminderAsync(result).ConfigureAwait(true);
        }

        DeactivateOnIdle();
        return RunJson.Serialize(result);
    }

    /// <summary>Streams the run's events to the observer, in order, each call awaited.</summary>
    private async ValueTask<WorkflowExecutionResult> StreamAsync(ExecutionPlan plan, WorkflowExecutionRequest request, CancellationToken cancellationToken)
    {
        WorkflowExecutionResult? final = null;
        await foreach (var @event in _orchestrator.ExecuteStreamingAsync(plan, request, cancellationToken).ConfigureAwait(true))
        {
            if (@event is ExecutionFinishedEvent finished)
            {
                final = finished.Result;
                if (_fence.IsFenced(ExecutionId))
                {
                    break; // Handed over: the end this silo saw is not the run's end.
                }
            }

            if (_observer is { } observer)
            {
                var (kind, json) = RunJson.SerializeEvent(@event);
                try
                {
                    await observer.OnEventAsync(kind, json).ConfigureAwait(true);
                }
                catch (Exception ex)
                {
                    Log.ObserverLost(_logger, ExecutionId, ex);
                    _observer = null;
                }
            }
        }

        return final ?? throw new InvalidOperationException("The run's stream ended without its final event.");
    }

    /// <summary>
    /// After a run ends or suspends: a finished run drops its reminder; a suspended one keeps it only until its earliest
    /// approval timeout. Cheap to get wrong safely: a reminder that ticks for a finished run drops itself.
    /// </summary>
    private async Task SettleReminderAsync(WorkflowExecutionResult result)
    {
        var timeout = result.Status == ExecutionStatus.Suspended
            ? result.PendingApprovals.Where(p => p.ExpiresAt is not null).Select(p => p.ExpiresAt!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min()
            : DateTimeOffset.MaxValue;
        if (timeout == DateTimeOffset.MaxValue)
        {
            await DropReminderAsync().ConfigureAwait(true);
            return;
        }

        var due = timeout - _time.GetUtcNow();
        await KeepReminderAsync(_options.ReminderPeriod, due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due).ConfigureAwait(true);
    }

    private async Task KeepReminderAsync(TimeSpan period, TimeSpan? due = null)
    {
        try
        {
            _ = await this.RegisterOrUpdateReminder(ReminderName, due ?? period, period).ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            Log.ReminderFailed(_logger, ExecutionId, ex);
        }
    }

    private async Task DropReminderAsync()
    {
        try
        {
            if (await this.GetReminder(ReminderName).ConfigureAwait(true) is { } reminder)
            {
                await this.UnregisterReminder(reminder).ConfigureAwait(true);
            }
        }
        catch (Exception ex)
        {
            Log.ReminderFailed(_logger, ExecutionId, ex);
        }
    }

    private WorkflowExecutionResult Rejected(string error, string code) => new()
    {
        ExecutionId = ExecutionId,
        Status = ExecutionStatus.Rejected,
        Steps = new Dictionary<string, StepResult>(StringComparer.Ordinal),
        Usage = new ExecutionUsage(0, 0, 0),
        Error = error,
        ErrorCode = code,
    };
}
