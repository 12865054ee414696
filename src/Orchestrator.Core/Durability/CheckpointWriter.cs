using System.Threading.Channels;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Durability;

/// <summary>
/// The one writer of a run's checkpoint. The coordinator queues a record as each top-level step finishes and moves on
/// at once; a single background loop appends whatever is queued as one batch, so steps that finish together share a
/// write and no step waits for the store. Records are appended in the order the steps finished, so a stored record's
/// dependencies are always stored too (in an earlier batch or the same one). A failed write stops the run: nothing
/// new starts, and what was stored before stays stored.
/// </summary>
internal sealed class CheckpointWriter : IDisposable
{
    private readonly Channel<StepCheckpoint> _queue = Channel.CreateUnbounded<StepCheckpoint>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ICheckpointStore _store;
    private readonly StepScope _root;
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;
    private Exception? _failure;

    public CheckpointWriter(ICheckpointStore store, StepScope root, Exception? startFailure, CancellationToken cancellationToken)
    {
        _store = store;
        _root = root;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _failure = startFailure;
        if (startFailure is not null)
        {
            // The run's header could not be stored: the run must not start steps whose work nobody could resume.
            _stop.Cancel();
        }

        _loop = WriteLoopAsync();
    }

    /// <summary>The token the run's steps run under: the caller's, and cancelled when a write fails.</summary>
    public CancellationToken Token => _stop.Token;

    public string ExecutionId => _root.Run.ExecutionId;

    /// <summary>Whether this run holds the orchestrator's running-here claim on its id (released when it ends).</summary>
    public bool ClaimedRun { get; init; }

    /// <summary>Why checkpointing failed, once it has.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>
    /// Queues the record of a step of the run's top-level list that finished (or suspended); steps of nested lists are
    /// part of their container's record. Cancelled steps are not recorded (they run on resume), nor is the failure that
    /// stops the run (resuming a crashed run runs that step again rather than taking its failure as settled).
    /// </summary>
    public void StepFinished(StepScope scope, StepRecord record)
    {
        if (!ReferenceEquals(scope, _root))
        {
            return;
        }

        ApprovalCheckpoint? approval = null;
        switch (record.Status)
        {
            case StepStatus.Succeeded or StepStatus.Skipped:
                break;
            case StepStatus.Failed when record.FailureTolerated:
                break;
            case StepStatus.Suspended when scope.Run.Approvals.TryGetValue(record.Step.Id, out var state):
                approval = new ApprovalCheckpoint(state.RequestedAt, state.Escalated, state.Title, state.Message);
                break;
            default:
                return;
        }

        _queue.Writer.TryWrite(record.ToCheckpoint(approval));
    }

    /// <summary>
    /// Queues the memory context injected into the run, once, as a record of its own (<see cref="MemoryRecordId"/>), so a
    /// run resumed in another process gives its remaining LLM steps the same memory its first steps had.
    /// </summary>
    public void MemoryInjected(System.Text.Json.JsonElement memory) => _queue.Writer.TryWrite(new StepCheckpoint
    {
        StepId = MemoryRecordId,
        Status = StepStatus.Succeeded,
        Data = memory,
        ExecutedAt = _root.Run.Now,
    });

    /// <summary>The id of the record holding the run's memory context; <c>$</c> is not allowed in step ids, so no step has it.</summary>
    public const string MemoryRecordId = "$memory";

    /// <summary>Waits until every queued record is stored; returns why checkpointing failed, or null.</summary>
    public async ValueTask<Exception?> FlushAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        return Failure;
    }

    public void Dispose() => _stop.Dispose();

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<StepCheckpoint>();

        // The loop's continuations run on the thread pool (the channel does not run them inline), so the coordinator
        // that queued a record never runs a store write.
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            if (Failure is null)
            {
                try
                {
                    // Not cancellable: a write the run started is finished, so what the store holds is a whole batch.
                    await _store.AppendStepsAsync(ExecutionId, batch.ToArray(), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Volatile.Write(ref _failure, ex);
                    await _stop.CancelAsync().ConfigureAwait(false);
                }
            }

            batch.Clear();
        }
    }
}
