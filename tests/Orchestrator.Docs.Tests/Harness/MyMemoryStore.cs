using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>The host's memory database, for doc blocks (kept in memory here).</summary>
public sealed class MyMemoryStore : IMemoryStore
{
    private readonly InMemoryMemoryStore _inner = new();

    public ValueTask<IReadOnlyList<RunMemory>> GetRecentRunsAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default) =>
        _inner.GetRecentRunsAsync(userId, agentId, limit, cancellationToken);

    public ValueTask<IReadOnlyList<UserMemory>> GetUserMemoriesAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default) =>
        _inner.GetUserMemoriesAsync(userId, agentId, limit, cancellationToken);

    public ValueTask<int> SaveRunAsync(RunMemory memory, CancellationToken cancellationToken = default) =>
        _inner.SaveRunAsync(memory, cancellationToken);

    public ValueTask SaveUserMemoryAsync(UserMemory memory, CancellationToken cancellationToken = default) =>
        _inner.SaveUserMemoryAsync(memory, cancellationToken);

    public ValueTask<int> CountRunsAsync(string userId, string agentId, CancellationToken cancellationToken = default) =>
        _inner.CountRunsAsync(userId, agentId, cancellationToken);
}
