using System.Collections.Concurrent;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Orleans.Tests.Cluster;

/// <summary>
/// What the silos of one test cluster share, as separate machines would: the checkpoint store (wrapped to note when
/// each step's finish was stored and how often each run was stored as finished) and the plugins' side effects (every
/// call, with a global sequence number, so "no call after its step's finish was stored" can be checked).
/// Silo configurators are created by Orleans with no arguments, so they read the world of the cluster being built from
/// <see cref="Current"/>; the tests of this assembly run one at a time.
/// </summary>
public sealed class TestWorld
{
    private long _sequence;

    public TestWorld(ICheckpointStore store, TimeSpan reminderPeriod, string? postgres = null)
    {
        Store = new SequencedStore(store, this);
        ReminderPeriod = reminderPeriod;
        Postgres = postgres;
    }

    public static TestWorld? Current { get; set; }

    public SequencedStore Store { get; }

    public TimeSpan ReminderPeriod { get; }

    /// <summary>The connection string of Orleans' clustering and reminder tables, or null for the in-memory providers.</summary>
    public string? Postgres { get; }

    public ConcurrentQueue<PluginCall> Calls { get; } = new();

    /// <summary>Steps (by run and step id) whose plugin calls wait until the gate opens.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, every call of this step waits (honouring its cancellation) until the gate opens.</summary>
    public (string StepId, TaskCompletionSource Gate)? Hold { get; set; }

    public long Next() => Interlocked.Increment(ref _sequence);

    public sealed record PluginCall(string ExecutionId, string StepId, string IdempotencyKey, long Sequence, string Silo);

    /// <summary>The shared store, noting what was stored when.</summary>
    public sealed class SequencedStore(ICheckpointStore inner, TestWorld world) : ICheckpointStore
    {
        /// <summary>When each step's finish was first stored, by "run/step".</summary>
        public ConcurrentDictionary<string, long> StepFinished { get; } = new(StringComparer.Ordinal);

        /// <summary>How many times each run was stored as finished.</summary>
        public ConcurrentDictionary<string, int> RunFinished { get; } = new(StringComparer.Ordinal);

        public ICheckpointStore Inner => inner;

        public ValueTask CreateRunAsync(RunCheckpoint run, CancellationToken cancellationToken = default) => inner.CreateRunAsync(run, cancellationToken);

        public async ValueTask AppendStepsAsync(string executionId, IReadOnlyList<StepCheckpoint> steps, CancellationToken cancellationToken = default)
        {
            await inner.AppendStepsAsync(executionId, steps, cancellationToken);
            var at = world.Next();
            foreach (var step in steps)
            {
                if (step.Status != StepStatus.Suspended)
                {
                    StepFinished.TryAdd(executionId + "/" + step.StepId, at);
                }
            }
        }

        public async ValueTask SetStatusAsync(string executionId, CheckpointStatus status, ExecutionStatus? outcome, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
        {
            await inner.SetStatusAsync(executionId, status, outcome, updatedAt, cancellationToken);
            if (status == CheckpointStatus.Finished)
            {
                RunFinished.AddOrUpdate(executionId, 1, (_, n) => n + 1);
            }
        }

        public ValueTask UpdateDefinitionAsync(string executionId, string definitionJson, string definitionHash, CancellationToken cancellationToken = default) =>
            inner.UpdateDefinitionAsync(executionId, definitionJson, definitionHash, cancellationToken);

        public ValueTask AddApprovalDecisionAsync(StoredApprovalDecision decision, CancellationToken cancellationToken = default) =>
            inner.AddApprovalDecisionAsync(decision, cancellationToken);

        public ValueTask<StoredRun?> LoadAsync(string executionId, CancellationToken cancellationToken = default) => inner.LoadAsync(executionId, cancellationToken);

        public ValueTask<IReadOnlyList<string>> ListRunsAsync(CheckpointStatus status, int limit, CancellationToken cancellationToken = default) =>
            inner.ListRunsAsync(status, limit, cancellationToken);

        public ValueTask<int> DeleteExpiredAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) =>
            inner.DeleteExpiredAsync(finishedBefore, cancellationToken);
    }
}
