using Orchestrator.Core.Execution;

namespace Orchestrator.Core.Ports;

/// <summary>
/// Where runs are checkpointed so they survive the process: a run's header once, then one appended record per finished
/// top-level step (steps that finish together are appended in one batch, one write), its status, and the decisions of
/// its approvals. Implementations must make each call atomic (a batch is stored whole or not at all) and keep the
/// order of appended records; they must be safe for concurrent calls on different runs.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>Stores a new run with status <see cref="CheckpointStatus.Running"/>.</summary>
    /// <param name="run">The run's header.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the header is stored.</returns>
    /// <exception cref="InvalidOperationException">A run with that id is already stored.</exception>
    ValueTask CreateRunAsync(RunCheckpoint run, CancellationToken cancellationToken = default);

    /// <summary>Appends step records to a run, all or none, after the records already stored.</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="steps">The records, in the order the steps finished.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the records are stored.</returns>
    ValueTask AppendStepsAsync(string executionId, IReadOnlyList<StepCheckpoint> steps, CancellationToken cancellationToken = default);

    /// <summary>Records where the run stands.</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="status">Its status.</param>
    /// <param name="outcome">How it ended, for <see cref="CheckpointStatus.Finished"/>.</param>
    /// <param name="updatedAt">Now (retention counts from a finished run's time).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the status is stored.</returns>
    ValueTask SetStatusAsync(string executionId, CheckpointStatus status, ExecutionStatus? outcome, DateTimeOffset updatedAt, CancellationToken cancellationToken = default);

    /// <summary>Replaces the run's definition (a resume on a changed definition the host allowed).</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="definitionJson">The new definition's canonical JSON.</param>
    /// <param name="definitionHash">Its hash.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the definition is stored.</returns>
    ValueTask UpdateDefinitionAsync(string executionId, string definitionJson, string definitionHash, CancellationToken cancellationToken = default);

    /// <summary>Records an approver's decision (replacing the same approver's earlier one for that step).</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the decision is stored.</returns>
    ValueTask AddApprovalDecisionAsync(StoredApprovalDecision decision, CancellationToken cancellationToken = default);

    /// <summary>Reads a run.</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run, or null when none has that id.</returns>
    ValueTask<StoredRun?> LoadAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>Lists the ids of runs with a status, oldest first (such as the runs a restarted host resumes).</summary>
    /// <param name="status">The status.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ids.</returns>
    ValueTask<IReadOnlyList<string>> ListRunsAsync(CheckpointStatus status, int limit, CancellationToken cancellationToken = default);

    /// <summary>Removes runs that finished before <paramref name="finishedBefore"/> (running and suspended runs are kept).</summary>
    /// <param name="finishedBefore">The retention cut-off: now minus the retention period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many runs were removed.</returns>
    ValueTask<int> DeleteExpiredAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default);
}
