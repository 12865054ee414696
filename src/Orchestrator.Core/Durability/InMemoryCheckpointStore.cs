using System.Collections.Concurrent;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Durability;

/// <summary>
/// A checkpoint store in the process's memory: runs survive suspension and can be resumed by another orchestrator
/// sharing the instance, but not a restart. Thread-safe.
/// </summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore, ICheckpointRunQuery
{
    private readonly ConcurrentDictionary<string, Entry> _runs = new(StringComparer.Ordinal);

    /// <summary>How many runs are stored.</summary>
    public int Count => _runs.Count;

    /// <inheritdoc />
    public ValueTask CreateRunAsync(RunCheckpoint run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!_runs.TryAdd(run.ExecutionId, new Entry(run)))
        {
            throw new InvalidOperationException($"A run with the id '{run.ExecutionId}' is already stored.");
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AppendStepsAsync(string executionId, IReadOnlyList<StepCheckpoint> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var entry = Get(executionId);
        lock (entry)
        {
            entry.Steps.AddRange(steps);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SetStatusAsync(string executionId, CheckpointStatus status, ExecutionStatus? outcome, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        var entry = Get(executionId);
        lock (entry)
        {
            entry.Status = status;
            entry.Outcome = status == CheckpointStatus.Finished ? outcome : null;
            entry.UpdatedAt = updatedAt;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask UpdateDefinitionAsync(string executionId, string definitionJson, string definitionHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        ArgumentNullException.ThrowIfNull(definitionHash);
        var entry = Get(executionId);
        lock (entry)
        {
            entry.Run = entry.Run with { DefinitionJson = definitionJson, DefinitionHash = definitionHash };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AddApprovalDecisionAsync(StoredApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var entry = Get(decision.Decision.ExecutionId);
        lock (entry)
        {
            entry.Decisions.RemoveAll(d => d.Decision.StepId == decision.Decision.StepId && d.Decision.Approver == decision.Decision.Approver);
            entry.Decisions.Add(decision);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<StoredRun?> LoadAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        if (!_runs.TryGetValue(executionId, out var entry))
        {
            return ValueTask.FromResult<StoredRun?>(null);
        }

        lock (entry)
        {
            return ValueTask.FromResult<StoredRun?>(new StoredRun
            {
                Run = entry.Run,
                Status = entry.Status,
                Outcome = entry.Outcome,
                UpdatedAt = entry.UpdatedAt,
                Steps = [.. entry.Steps],
                ApprovalDecisions = [.. entry.Decisions],
            });
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListRunsAsync(CheckpointStatus status, int limit, CancellationToken cancellationToken = default)
    {
        var ids = new List<(DateTimeOffset CreatedAt, string Id)>();
        foreach (var (id, entry) in _runs)
        {
            lock (entry)
            {
                if (entry.Status == status)
                {
                    ids.Add((entry.Run.CreatedAt, id));
                }
            }
        }

        IReadOnlyList<string> result = [.. ids.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal).Take(limit).Select(i => i.Id)];
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListRecentRunsAsync(CheckpointStatus? status, string? agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var runs = new List<(DateTimeOffset CreatedAt, string Id)>();
        foreach (var (id, entry) in _runs)
        {
            lock (entry)
            {
                if ((status is null || entry.Status == status) && (agentId is null || string.Equals(entry.Run.AgentId, agentId, StringComparison.Ordinal)))
                {
                    runs.Add((entry.Run.CreatedAt, id));
                }
            }
        }

        IReadOnlyList<string> result = [.. runs.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Take(limit).Select(r => r.Id)];
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteExpiredAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var (id, entry) in _runs)
        {
            bool expired;
            lock (entry)
            {
                expired = entry.Status == CheckpointStatus.Finished && entry.UpdatedAt < finishedBefore;
            }

            if (expired && _runs.TryRemove(id, out _))
            {
                removed++;
            }
        }

        return ValueTask.FromResult(removed);
    }

    private Entry Get(string executionId)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        return _runs.TryGetValue(executionId, out var entry)
            ? entry
            : throw new InvalidOperationException($"No run with the id '{executionId}' is stored.");
    }

    private sealed class Entry(RunCheckpoint run)
    {
        public RunCheckpoint Run { get; set; } = run;

        public CheckpointStatus Status { get; set; } = CheckpointStatus.Running;

        public ExecutionStatus? Outcome { get; set; }

        public DateTimeOffset UpdatedAt { get; set; } = run.CreatedAt;

        public List<StepCheckpoint> Steps { get; } = [];

        public List<StoredApprovalDecision> Decisions { get; } = [];
    }
}
