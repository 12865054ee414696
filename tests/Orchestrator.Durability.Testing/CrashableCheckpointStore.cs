using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Durability.Testing;

/// <summary>
/// Wraps a store and, once <see cref="Crash"/> is called, refuses every write, as a process that died would make none:
/// what the inner store holds then is what a crash would have left (and what a store that broke mid-run kept).
/// </summary>
public sealed class CrashableCheckpointStore(ICheckpointStore inner) : ICheckpointStore
{
    private volatile bool _crashed;

    public void Crash() => _crashed = true;

    public ValueTask CreateRunAsync(RunCheckpoint run, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.CreateRunAsync(run, cancellationToken);
    }

    public ValueTask AppendStepsAsync(string executionId, IReadOnlyList<StepCheckpoint> steps, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.AppendStepsAsync(executionId, steps, cancellationToken);
    }

    public ValueTask SetStatusAsync(string executionId, CheckpointStatus status, ExecutionStatus? outcome, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.SetStatusAsync(executionId, status, outcome, updatedAt, cancellationToken);
    }

    public ValueTask UpdateDefinitionAsync(string executionId, string definitionJson, string definitionHash, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.UpdateDefinitionAsync(executionId, definitionJson, definitionHash, cancellationToken);
    }

    public ValueTask AddApprovalDecisionAsync(StoredApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        Check();
        return inner.AddApprovalDecisionAsync(decision, cancellationToken);
    }

    public ValueTask<StoredRun?> LoadAsync(string executionId, CancellationToken cancellationToken = default) => inner.LoadAsync(executionId, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListRunsAsync(CheckpointStatus status, int limit, CancellationToken cancellationToken = default) =>
        inner.ListRunsAsync(status, limit, cancellationToken);

    public ValueTask<int> DeleteExpiredAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) =>
        inner.DeleteExpiredAsync(finishedBefore, cancellationToken);

    private void Check()
    {
        if (_crashed)
        {
            throw new IOException("The store refuses writes (disk full, or the process is gone).");
        }
    }
}
