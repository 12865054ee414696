namespace Orchestrator.Core.Memory;

/// <summary>
/// The default memory store: memories live in the process (lost on restart), separated by user and agent. Keeps at
/// most <see cref="MaxRunsPerAgent"/> run summaries per user and agent, dropping the oldest.
/// </summary>
public sealed class InMemoryMemoryStore : IMemoryStore
{
    private readonly Dictionary<(string User, string Agent), List<RunMemory>> _runs = [];
    private readonly Dictionary<(string User, string? Agent, string Key), UserMemory> _userMemories = [];
    private readonly Dictionary<(string User, string Agent), int> _lastRunNumber = [];
    private readonly Lock _lock = new();

    /// <summary>Creates a store keeping at most <paramref name="maxRunsPerAgent"/> run summaries per user and agent.</summary>
    /// <param name="maxRunsPerAgent">How many summaries to keep per user and agent.</param>
    public InMemoryMemoryStore(int maxRunsPerAgent = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRunsPerAgent, 1);
        MaxRunsPerAgent = maxRunsPerAgent;
    }

    /// <summary>How many run summaries are kept per user and agent.</summary>
    public int MaxRunsPerAgent { get; }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunMemory>> GetRecentRunsAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        lock (_lock)
        {
            IReadOnlyList<RunMemory> recent = _runs.TryGetValue((userId, agentId), out var runs)
                ? [.. runs.OrderByDescending(r => r.RunNumber).Take(Math.Max(0, limit))]
                : [];
            return ValueTask.FromResult(recent);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UserMemory>> GetUserMemoriesAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        lock (_lock)
        {
            IReadOnlyList<UserMemory> memories =
            [
                .. _userMemories.Values
                    .Where(m => m.UserId == userId && (m.AgentId is null || m.AgentId == agentId))
                    .OrderByDescending(m => m.Importance)
                    .ThenByDescending(m => m.CreatedAt)
                    .Take(Math.Max(0, limit)),
            ];
            return ValueTask.FromResult(memories);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> SaveRunAsync(RunMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        lock (_lock)
        {
            var key = (memory.UserId, memory.AgentId);
            if (!_runs.TryGetValue(key, out var runs))
            {
                _runs[key] = runs = [];
            }

            var number = (_lastRunNumber.TryGetValue(key, out var last) ? last : 0) + 1;
            _lastRunNumber[key] = number;
            runs.Add(memory with { RunNumber = number });
            if (runs.Count > MaxRunsPerAgent)
            {
                runs.RemoveAt(0);
            }

            return ValueTask.FromResult(number);
        }
    }

    /// <inheritdoc />
    public ValueTask SaveUserMemoryAsync(UserMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        lock (_lock)
        {
            _userMemories[(memory.UserId, memory.AgentId, memory.Key)] = memory;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> CountRunsAsync(string userId, string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        lock (_lock)
        {
            return ValueTask.FromResult(_lastRunNumber.TryGetValue((userId, agentId), out var last) ? last : 0);
        }
    }
}
