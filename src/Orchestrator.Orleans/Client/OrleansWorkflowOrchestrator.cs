using System.Globalization;
using System.Runtime.CompilerServices;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;
using Orchestrator.Orleans.Grains;
using Orchestrator.Orleans.Hosting;
using Orchestrator.Orleans.Serialization;

namespace Orchestrator.Orleans.Client;

/// <summary>
/// <see cref="IWorkflowOrchestrator"/> over an Orleans cluster: each run is a grain keyed by its execution id, run by
/// the orchestrator of the silo it lands on. Host code written against the interface does not change. A call that
/// waits for a run survives the loss of the run's silo: it asks again, and the run resumes from its checkpoint on a
/// live silo.
/// </summary>
public sealed class OrleansWorkflowOrchestrator : IWorkflowOrchestrator
{
    private readonly IGrainFactory _grains;
    private readonly OrleansClusterClientOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the orchestrator.</summary>
    /// <param name="grains">The cluster client's (or a co-hosted silo's) grain factory.</param>
    /// <param name="options">How long to wait per call; the defaults when null.</param>
    /// <param name="timeProvider">The clock of the waits between retries; the system clock when null.</param>
    public OrleansWorkflowOrchestrator(IGrainFactory grains, OrleansClusterClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        _options = options ?? new OrleansClusterClientOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask<WorkflowExecutionResult> ExecuteAsync(WorkflowDefinition definition, WorkflowExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(definition, request, observer: null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<WorkflowExecutionResult> ExecuteAsync(ExecutionPlan plan, WorkflowExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(plan.Definition, request, observer: null, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The silo sends the events through a grain observer, each call awaited, so they arrive in order. When the run's
    /// silo dies, the run resumes elsewhere and the stream goes on with its final event (a resumed run reports no
    /// step events: its steps' results are in that final event).
    /// </remarks>
    public async IAsyncEnumerable<ExecutionEvent> ExecuteStreamingAsync(ExecutionPlan plan, WorkflowExecutionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        var observer = new RunEventObserver();
        var reference = _grains.CreateObjectReference<IRunEventObserver>(observer);
        try
        {
            var run = RunAndCompleteAsync(plan.Definition, request, observer, reference, cancellationToken);
            await foreach (var @event in observer.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return @event;
            }

            await run.ConfigureAwait(false);
        }
        finally
        {
            _grains.DeleteObjectReference<IRunEventObserver>(reference);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> SubmitApprovalAsync(ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var grain = Grain(decision.ExecutionId);
        var json = RunJson.Serialize(decision);
        return await RetryAsync(() => grain.SubmitApprovalAsync(json), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<WorkflowExecutionResult> ResumeAsync(string executionId, CancellationToken cancellationToken = default) =>
        ResumeAsync(executionId, options: null, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<WorkflowExecutionResult> ResumeAsync(string executionId, ResumeOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        var grain = Grain(executionId);
        var definition = options?.Definition is { } given ? WorkflowJson.Serialize(given) : null;
        var allow = options?.AllowDefinitionChange ?? false;
        if (!await RetryAsync(() => grain.ResumeAsync(definition, allow), cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"No suspended or checkpointed run has the id '{executionId}'.");
        }

        return await WaitAsync(grain, executionId, observer: null, restart: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels a running run wherever it runs; it ends <see cref="ExecutionStatus.Cancelled"/>.</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether a running run was cancelled.</returns>
    public async ValueTask<bool> CancelAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        var grain = Grain(executionId);
        return await RetryAsync(grain.CancelAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads where a run stands (from the checkpoint store, through the run's grain), without waiting for it.</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Where it stands.</returns>
    public async ValueTask<ClusterRunStatus> GetStatusAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        var grain = Grain(executionId);
        var reply = await RetryAsync(grain.GetStatusAsync, cancellationToken).ConfigureAwait(false);
        var state = reply.State switch
        {
            RunState.NotFound => ClusterRunState.Unknown,
            RunState.Suspended => ClusterRunState.Suspended,
            RunState.Finished => ClusterRunState.Finished,
            _ => ClusterRunState.Running,
        };
        return new ClusterRunStatus(executionId, state, reply.Outcome is { } outcome ? (ExecutionStatus)outcome : null);
    }

    private IWorkflowRunGrain Grain(string executionId) => _grains.GetGrain<IWorkflowRunGrain>(executionId);

    private async Task RunAndCompleteAsync(WorkflowDefinition definition, WorkflowExecutionRequest request, RunEventObserver observer, IRunEventObserver reference, CancellationToken cancellationToken)
    {
        try
        {
            var result = await RunAsync(definition, request, reference, cancellationToken).ConfigureAwait(false);
            observer.Complete(new ExecutionFinishedEvent(result.ExecutionId, _time.GetUtcNow(), result), null);
        }
        catch (Exception ex)
        {
            observer.Complete(null, ex);
        }
    }

    private async ValueTask<WorkflowExecutionResult> RunAsync(WorkflowDefinition definition, WorkflowExecutionRequest request, IRunEventObserver? observer, CancellationToken cancellationToken)
    {
        var id = request.ExecutionId ?? Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var definitionJson = WorkflowJson.Serialize(definition);
        var requestJson = RunJson.Serialize(request with { ExecutionId = id });
        var grain = Grain(id);
        Task Start() => grain.StartAsync(definitionJson, requestJson, observer);
        await RetryAsync(async () => { await Start().ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
        return await WaitAsync(grain, id, observer, Start, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the run in slices: a slice that ends early (the silo died or shut down) is asked again, which
    /// activates the grain on a live silo and resumes the run there; a run the cluster does not know is started again
    /// when the caller can (its header was never stored).
    /// </summary>
    private async ValueTask<WorkflowExecutionResult> WaitAsync(IWorkflowRunGrain grain, string id, IRunEventObserver? observer, Func<Task>? restart, CancellationToken cancellationToken)
    {
        var cancelled = false;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested && !cancelled)
            {
                // As in process: cancelling the caller cancels the run, which then ends Cancelled.
                cancelled = true;
                _ = await RetryAsync(grain.CancelAsync, CancellationToken.None).ConfigureAwait(false);
            }

            var reply = await RetryAsync(() => grain.WaitAsync(_options.WaitSlice, observer), cancelled ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
            switch (reply.State)
            {
                case RunState.Finished or RunState.Suspended when reply.ResultJson is { } json:
                    return RunJson.Deserialize<WorkflowExecutionResult>(json);
                case RunState.Suspended:
                    return Suspended(id);
                case RunState.NotFound when restart is not null:
                    await RetryAsync(async () => { await restart().ConfigureAwait(false); return true; }, cancelled ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
                    break;
                case RunState.NotFound:
                    throw new InvalidOperationException(reply.Error ?? $"No suspended or checkpointed run has the id '{id}'.");
                case RunState.HandedOver:
                    // Its silo is leaving, or its store refused a write: ask again shortly, on a live silo.
                    await Task.Delay(_options.RetryDelay, _time, cancelled ? CancellationToken.None : cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    break; // Still running: ask again.
            }
        }
    }

    /// <summary>Calls a grain, asking again while its silo is unreachable (the cluster then places it on a live one).</summary>
    private async ValueTask<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.RetryDelay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Failures of the cluster, not of the call: a silo that died or is shutting down, a timed-out message.</summary>
    private static bool IsTransient(Exception ex) =>
        ex is OrleansMessageRejectionException or SiloUnavailableException or GatewayTooBusyException or ClientNotAvailableException or global::Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException
           or OperationCanceledException; // The cluster cancelled a lookup or placement while its membership changed (the caller's own cancellation is checked apart).

    /// <summary>A suspended run whose last result this silo does not hold (its grain was deactivated): its approvals are in the store.</summary>
    private static WorkflowExecutionResult Suspended(string id) => new()
    {
        ExecutionId = id,
        Status = ExecutionStatus.Suspended,
        Steps = new Dictionary<string, StepResult>(StringComparer.Ordinal),
        Usage = new ExecutionUsage(0, 0, 0),
        Warnings = [$"The run '{id}' is suspended; its pending approvals are in the checkpoint store (resume it after they are decided)."],
    };
}
