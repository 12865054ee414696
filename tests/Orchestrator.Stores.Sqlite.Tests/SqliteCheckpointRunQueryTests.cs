using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.Sqlite.Tests;

/// <summary><see cref="ICheckpointRunQuery"/> on a SQLite file: newest first, by status and agent (what the dashboard lists).</summary>
public sealed class SqliteCheckpointRunQueryTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-sqlite-query-").FullName;
    private readonly SqliteCheckpointStore _store;

    public SqliteCheckpointRunQueryTests() => _store = SqliteCheckpointStore.ForFile(Path.Combine(_directory, "checkpoints.db"));

    [Fact]
    public async Task ListRecentRunsAsync_WithoutFilters_ListsNewestFirstUpToTheLimit()
    {
        await SeedAsync();

        Assert.Equal(["r4", "r3", "r2"], await _store.ListRecentRunsAsync(status: null, agentId: null, limit: 3));
    }

    [Fact]
    public async Task ListRecentRunsAsync_ByStatusAndAgent_ListsOnlyThoseRuns()
    {
        await SeedAsync();

        Assert.Equal(["r3", "r1"], await _store.ListRecentRunsAsync(CheckpointStatus.Finished, agentId: null, limit: 10));
        Assert.Equal(["r4", "r2"], await _store.ListRecentRunsAsync(status: null, "agent-b", limit: 10));
        Assert.Equal(["r4"], await _store.ListRecentRunsAsync(CheckpointStatus.Suspended, "agent-b", limit: 10));
        Assert.Empty(await _store.ListRecentRunsAsync(CheckpointStatus.Running, "agent-a", limit: 10));
    }

    [Fact]
    public async Task ListRecentRunsAsync_SameStart_OrdersByIdAsTheInMemoryStoreDoes()
    {
        await _store.CreateRunAsync(CheckpointStoreBehaviourTests.Header("b", s_start) with { AgentId = "agent-a" });
        await _store.CreateRunAsync(CheckpointStoreBehaviourTests.Header("a", s_start) with { AgentId = "agent-a" });

        Assert.Equal(["a", "b"], await _store.ListRecentRunsAsync(null, null, 10));
    }

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task SeedAsync()
    {
        foreach (var (id, agent, minute) in new[] { ("r1", "agent-a", 1), ("r2", "agent-b", 2), ("r3", "agent-a", 3), ("r4", "agent-b", 4) })
        {
            await _store.CreateRunAsync(CheckpointStoreBehaviourTests.Header(id, s_start.AddMinutes(minute)) with { AgentId = agent });
        }

        await _store.SetStatusAsync("r1", CheckpointStatus.Finished, ExecutionStatus.Succeeded, s_start.AddMinutes(10));
        await _store.SetStatusAsync("r3", CheckpointStatus.Finished, ExecutionStatus.Failed, s_start.AddMinutes(10));
        await _store.SetStatusAsync("r4", CheckpointStatus.Suspended, null, s_start.AddMinutes(10));
    }
}
