using System.Runtime.InteropServices;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Memory;

/// <summary>
/// The default memory store: memories live in the process (lost on restart), separated by user and agent. Keeps at
/// most <see cref="MaxRunsPerAgent"/> run summaries per user and agent, dropping the oldest, and at most
/// <see cref="MaxUserMemoriesPerUser"/> user memories per user, dropping the least important (the oldest among equals).
/// </summary>
public sealed class InMemoryMemoryStore : IMemoryStore
{
    /// <summary>Per user and agent, one entry for both the kept summaries and the last number given: a run reads and saves with one lookup each.</summary>
    private readonly Dictionary<(string User, string Agent), AgentRuns> _runs = [];
    private readonly Dictionary<string, Dictionary<(string? Agent, string Key), UserMemory>> _userMemories = new(StringComparer.Ordinal);
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

    /// <summary>The default of <see cref="MaxUserMemoriesPerUser"/>.</summary>
    public const int DefaultMaxUserMemoriesPerUser = 1000;

    private readonly int _maxUserMemoriesPerUser = DefaultMaxUserMemoriesPerUser;

    /// <summary>
    /// How many user memories (all agents together) are kept per user: saving a new one beyond this drops the least
    /// important, the oldest among equals, so the default store cannot grow without end. At least 1; default
    /// <see cref="DefaultMaxUserMemoriesPerUser"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxUserMemoriesPerUser
    {
        get => _maxUserMemoriesPerUser;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxUserMemoriesPerUser = value;
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunMemory>> GetRecentRunsAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        lock (_lock)
        {
            if (!_runs.TryGetValue((userId, agentId), out var agent) || limit <= 0)
            {
                return ValueTask.FromResult<IReadOnlyList<RunMemory>>([]);
            }

            // Runs are kept in the order they were numbered (each saved run gets the next number), so the newest are
            // the last: read backwards instead of sorting all kept runs on every run's memory injection.
            var runs = agent.Runs;
            var recent = new RunMemory[Math.Min(limit, runs.Count)];
            for (var i = 0; i < recent.Length; i++)
            {
                recent[i] = runs[runs.Count - 1 - i];
            }

            return ValueTask.FromResult<IReadOnlyList<RunMemory>>(recent);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<UserMemory>> GetUserMemoriesAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        lock (_lock)
        {
            if (!_userMemories.TryGetValue(userId, out var ofUser))
            {
                return ValueTask.FromResult<IReadOnlyList<UserMemory>>([]);
            }

            IReadOnlyList<UserMemory> memories =
            [
                .. ofUser.Values
                    .Where(m => m.AgentId is null || m.AgentId == agentId)
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
            ref var agent = ref CollectionsMarshal.GetValueRefOrAddDefault(_runs, (memory.UserId, memory.AgentId), out _);
            agent ??= new AgentRuns();
            var number = ++agent.LastNumber;
            // The orchestrator numbers its summary as the count it read plus one, so the copy is made only when another
            // run was saved in between (or a host numbered it otherwise).
            agent.Runs.Add(memory.RunNumber == number ? memory : memory with { RunNumber = number });
            if (agent.Runs.Count > MaxRunsPerAgent)
            {
                agent.Runs.RemoveAt(0);
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
            if (!_userMemories.TryGetValue(memory.UserId, out var ofUser))
            {
                _userMemories[memory.UserId] = ofUser = [];
            }

            ofUser[(memory.AgentId, memory.Key)] = memory;
            if (ofUser.Count > MaxUserMemoriesPerUser)
            {
                var dropped = ofUser.MinBy(e => (e.Value.Importance, e.Value.CreatedAt)).Key;
                ofUser.Remove(dropped);
            }
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
            return ValueTask.FromResult(_runs.TryGetValue((userId, agentId), out var agent) ? agent.LastNumber : 0);
        }
    }

    /// <summary>One user and agent's kept summaries, oldest first, and the last run number given (dropped runs still counted).</summary>
    private sealed class AgentRuns
    {
        public List<RunMemory> Runs { get; } = [];

        public int LastNumber { get; set; }
    }
}
