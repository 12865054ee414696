using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Orleans.Grains;

/// <summary>The silo's checkpoint store, refusing the writes of runs the silo handed over (see <see cref="RunFence"/>).</summary>
internal sealed class FencedCheckpointStore(ICheckpointStore inner, RunFence fence) : ICheckpointStore
{
    public ICheckpointStore Inner => inner;

    public async ValueTask CreateRunAsync(RunCheckpoint run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        Check(run.ExecutionId);
        await inner.CreateRunAsync(run, cancellationToken).ConfigureAwait(false);
        fence.Created(run.ExecutionId);
    }

    public ValueTask AppendStepsAsync(string executionId, IReadOnlyList<StepCheckpoint> steps, CancellationToken cancellationToken = default)
    {
        Check(executionId);
        return inner.AppendStepsAsync(executionId, steps, cancellationToken);
    }

    public ValueTask SetStatusAsync(string executionId, CheckpointStatus status, ExecutionStatus? outcome, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        Check(executionId);
        return inner.SetStatusAsync(executionId, status, outcome, updatedAt, cancellationToken);
    }

    public ValueTask UpdateDefinitionAsync(string executionId, string definitionJson, string definitionHash, CancellationToken cancellationToken = default)
    {
        Check(executionId);
        return inner.UpdateDefinitionAsync(executionId, definitionJson, definitionHash, cancellationToken);
    }

    public ValueTask AddApprovalDecisionAsync(StoredApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Check(decision.Decision.ExecutionId);
        return inner.AddApprovalDecisionAsync(decision, cancellationToken);
    }

    public ValueTask<StoredRun?> LoadAsync(string executionId, CancellationToken cancellationToken = default) => inner.LoadAsync(executionId, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListRunsAsync(CheckpointStatus status, int limit, CancellationToken cancellationToken = default) =>
        inner.ListRunsAsync(status, limit, cancellationToken);

    public ValueTask<int> DeleteExpiredAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) =>
        inner.DeleteExpiredAsync(finishedBefore, cancellationToken);

    private void Check(string executionId)
    {
        if (fence.IsFenced(executionId))
        {
            throw new RunHandedOverException($"Run '{executionId}' was handed over to another silo; this silo no longer writes it.");
        }
    }
}
