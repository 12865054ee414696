using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Dashboard.Tests.Support;

/// <summary>
/// A store that offers only <see cref="ICheckpointStore"/> (as the SQLite and PostgreSQL stores do today), over a real
/// in-memory store: the dashboard must still list, and say what it cannot.
/// </summary>
internal sealed class ListOnlyCheckpointStore : ICheckpointStore
{
    private readonly InMemoryCheckpointStore _inner = new();

    public ValueTask CreateRunAsync(RunCheckpoint run, CancellationToken cancellationToken = default) => _inner.CreateRunAsync(run, cancellationToken);

    public ValueTask AppendStepsAsync(string executionId, IReadOnlyList<StepCheckpoint> steps, CancellationToken cancellationToken = default) => _inner.AppendStepsAsync(executionId, steps, cancellationToken);

    public ValueTask SetStatusAsync(string executionId, CheckpointStatus status, ExecutionStatus? outcome, DateTimeOffset updatedAt, CancellationToken cancellationToken = default) => _inner.SetStatusAsync(executionId, status, outcome, updatedAt, cancellationToken);

    public ValueTask UpdateDefinitionAsync(string executionId, string definitionJson, string definitionHash, CancellationToken cancellationToken = default) => _inner.UpdateDefinitionAsync(executionId, definitionJson, definitionHash, cancellationToken);

    public ValueTask AddApprovalDecisionAsync(StoredApprovalDecision decision, CancellationToken cancellationToken = default) => _inner.AddApprovalDecisionAsync(decision, cancellationToken);

    public ValueTask<StoredRun?> LoadAsync(string executionId, CancellationToken cancellationToken = default) => _inner.LoadAsync(executionId, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListRunsAsync(CheckpointStatus status, int limit, CancellationToken cancellationToken = default) => _inner.ListRunsAsync(status, limit, cancellationToken);

    public ValueTask<int> DeleteExpiredAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) => _inner.DeleteExpiredAsync(finishedBefore, cancellationToken);
}
