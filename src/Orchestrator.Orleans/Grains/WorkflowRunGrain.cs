using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
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

    /// <summary>
    /// The current attempt at the run in this activation (reading the store, then running or resuming it), ending with
    /// where the run stands. Set without an await between the check and the set, so interleaved calls (waits,
    /// reminder ticks) never start a run twice: the grain's turns run one at a time.
    /// </summary>
    private Task<RunReply>? _running;
    private CancellationTokenSource? _cancel;
    private IRunEventObserver? _observer;

    // Whether the current attempt was made for a caller who will come for its answer (a start, a wait, a client's
    // resume), not by a reminder: a suspension is then kept in this activation until a wait delivers it, so the caller
    // gets the full result (its pending approvals), not the store's bare word; the wait that delivers it lets it go.
    private bool _callerWaits = true;

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

    /// <summary>Whether the last attempt left nothing to report (none yet, handed over, or only the store's word): look again.</summary>
    private bool NeedsAttempt => _running is null || (_running.IsCompleted && (!_running.IsCompletedSuccessfully || _running.Result.ResultJson is null));

    public async Task StartAsync(string definitionJson, string requestJson, IRunEventObserver? observer)
    {
        if (observer is not null)
        {
            _observer = observer;
        }

        if (IsRunning || !NeedsAttempt)
        {
            return;
        }

        // Returns once the run's header is stored (or the run ended without one, such as a rejected definition): a
        // start that returned survives the silo, as its reminder finds the run in the store.
        var created = _fence.WhenCreated(ExecutionId);
        var running = _running = StartCoreAsync(definitionJson, requestJson);
        _ = await Task.WhenAny(created, running).ConfigureAwait(true);
        if (running.IsCompleted)
        {
            _fence.Forget(ExecutionId);
        }
    }

    public async Task<RunReply> WaitAsync(TimeSpan maxWait, IRunEventObserver? observer)
    {
        if (observer is not null)
        {
            _observer = observer;
        }

        if (!IsRunning && NeedsAttempt)
        {
            if (_fence.IsLeaving)
            {
                // This silo is leaving: the caller asks again, and the cluster places the run on a live silo.
                DeactivateOnIdle();
                return new RunReply(RunState.HandedOver, null);
            }

            _running = AttemptAsync(options: null, "a caller waits for it", resumeSuspended: false);
        }

        RunReply reply;
        try
        {
            reply = await _running!.WaitAsync(maxWait, _time).ConfigureAwait(true);
        }
        catch (TimeoutException)
        {
            return new RunReply(RunState.Running, null);
        }

        if (reply.State == RunState.Suspended && reply.ResultJson is not null)
        {
            // Delivered: the suspension is in the store, where a later activation reads it; this one can go.
            DeactivateOnIdle();
        }

        return reply;
    }

    public Task<bool> ResumeAsync(string? definitionJson, bool allowDefinitionChange)
    {
        if (IsRunning)
        {
            return Task.FromResult(true);
        }

        ResumeOptions? options = null;
        if (definitionJson is not null)
        {
            var loaded = WorkflowJson.Load(definitionJson);
            if (loaded.Definition is not { } definition)
            {
                _running = Task.FromResult(Reply(Rejected(string.Join("; ", loaded.Diagnostics.Where(d => d.IsError)), "INVALID_WORKFLOW")));
                return Task.FromResult(true);
            }

            options = new ResumeOptions { Definition = definition, AllowDefinitionChange = allowDefinitionChange };
        }

        _running = AttemptAsync(options, "resumed by its client", resumeSuspended: true);
        return Task.FromResult(true);
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

        // A run whose silo stopped is resumed; a suspended one is resumed when an approval timeout is due (resuming
        // applies it, or suspends again until the next one).
        _callerWaits = false;
        RunReply reply;
        try
        {
            _running = AttemptAsync(options: null, "its reminder fired", resumeSuspended: true);
            reply = await _running.ConfigureAwait(true);
        }
        finally
        {
            _callerWaits = true;
        }

        if (reply.State is RunState.NotFound or RunState.Finished)
        {
            // Finished, or never stored (its silo died before the header was written; its client starts it again).
            await DropReminderAsync().ConfigureAwait(true);
            DeactivateOnIdle();
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
            if (_cancel is not null)
            {
                await _cancel.CancelAsync().ConfigureAwait(true);
            }

            try
            {
                _ = await _running!.WaitAsync(_options.HandOverTimeout, _time, cancellationToken).ConfigureAwait(true);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                Log.HandOverTimedOut(_logger, ExecutionId);
            }
        }

        _cancel?.Dispose();
        await base.OnDeactivateAsync(reason, cancellationToken).ConfigureAwait(true);
    }

    /// <summary>A new run: started unless the store already knows it (a client retrying after its silo died).</summary>
    private async Task<RunReply> StartCoreAsync(string definitionJson, string requestJson)
    {
        if (await TryLoadAsync().ConfigureAwait(true) is not (true, null))
        {
            return await AttemptAsync(options: null, "started again by its client", resumeSuspended: false).ConfigureAwait(true);
        }

        var loaded = WorkflowJson.Load(definitionJson);
        var request = RunJson.Deserialize<WorkflowExecutionRequest>(requestJson) with { ExecutionId = ExecutionId };
        if (loaded.Definition is not { } definition)
        {
            return Reply(Rejected(string.Join("; ", loaded.Diagnostics.Where(d => d.IsError)), "INVALID_WORKFLOW"));
        }

        if (_planner.Plan(definition).Plan is not { } plan)
        {
            // The orchestrator rejects it, naming the planning errors, and stores nothing.
            return await RunAsync(token => _orchestrator.ExecuteAsync(definition, request, token), keepReminder: false).ConfigureAwait(true);
        }

        await KeepReminderAsync(_options.ReminderPeriod).ConfigureAwait(true);
        return _observer is null
            ? await RunAsync(token => _orchestrator.ExecuteAsync(plan, request, token), keepReminder: true).ConfigureAwait(true)
            : await RunAsync(token => StreamAsync(plan, request, token), keepReminder: true).ConfigureAwait(true);
    }

    /// <summary>What the store holds decides: a run stored as running goes on here, a finished one reports its stored result.</summary>
    private async Task<RunReply> AttemptAsync(ResumeOptions? options, string reason, bool resumeSuspended)
    {
        var (read, stored) = await TryLoadAsync().ConfigureAwait(true);
        if (!read)
        {
            return new RunReply(RunState.HandedOver, null); // The store cannot be read now: ask again.
        }

        switch (stored?.Status)
        {
            case null:
                return new RunReply(RunState.NotFound, null);
            case CheckpointStatus.Finished:
                // Its stored result: nothing runs again.
                return await RunAsync(token => _orchestrator.ResumeAsync(ExecutionId, token), keepReminder: false).ConfigureAwait(true);
            case CheckpointStatus.Suspended when !resumeSuspended:
                return new RunReply(RunState.Suspended, null);
            default:
                await KeepReminderAsync(_options.ReminderPeriod).ConfigureAwait(true);
                Log.RunResumed(_logger, ExecutionId, reason);
                return await RunAsync(token => _orchestrator.ResumeAsync(ExecutionId, options, token), keepReminder: true).ConfigureAwait(true);
        }
    }

    private async Task<(bool Read, StoredRun? Run)> TryLoadAsync()
    {
        try
        {
            return (true, await _store.LoadAsync(ExecutionId).ConfigureAwait(true));
        }
        catch (Exception ex)
        {
            Log.RunFailed(_logger, ExecutionId, ex);
            return (false, null);
        }
    }

    /// <summary>Runs (or resumes) the run to its end or suspension.</summary>
    private async Task<RunReply> RunAsync(Func<CancellationToken, ValueTask<WorkflowExecutionResult>> run, bool keepReminder)
    {
        _fence.Admit(ExecutionId);
        _cancel?.Dispose();
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(_fence.Leaving);
        WorkflowExecutionResult result;
        try
        {
            result = await run(_cancel.Token).ConfigureAwait(true);
        }
        catch (InvalidOperationException ex) when (!_fence.IsFenced(ExecutionId) && !keepReminder)
        {
            return new RunReply(RunState.NotFound, null, Error: ex.Message);
        }
        catch (Exception ex)
        {
            // Handed over mid-call, the store failing, or the run still winding down here from an earlier attempt:
            // not the run's end. It is stored as running; the reminder or the caller's next wait tries again.
            Log.RunFailed(_logger, ExecutionId, ex);
            return new RunReply(RunState.HandedOver, null);
        }

        if (_fence.IsFenced(ExecutionId) || string.Equals(result.ErrorCode, CheckpointErrorCodes.CheckpointFailed, StringComparison.Ordinal))
        {
            // Not the run's end: it was handed over, or the store refused its writes. What it did is stored as
            // running; the reminder (or the caller's next wait) resumes it once a silo can write it again.
            return new RunReply(RunState.HandedOver, null);
        }

        if (keepReminder)
        {
            await SettleReminderAsync(result).ConfigureAwait(true);
        }

        if (result.Status == ExecutionStatus.Suspended && _callerWaits)
        {
            // Kept until a wait delivers the full result (see _callerWaits); Orleans collects it when idle otherwise.
        }
        else if (result.Status != ExecutionStatus.Rejected)
        {
            // Its end (or suspension) is in the store, where a new activation reads it: this one can go. A rejected
            // run was never stored, so its activation keeps the answer until Orleans collects it when idle.
            DeactivateOnIdle();
        }

        return Reply(result);
    }

    private static RunReply Reply(WorkflowExecutionResult result) =>
        new(result.Status == ExecutionStatus.Suspended ? RunState.Suspended : RunState.Finished, RunJson.Serialize(result), (int)result.Status);

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
