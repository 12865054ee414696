using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary><see cref="ICheckpointRunQuery"/> against a real PostgreSQL server: newest first, by status and agent.</summary>
public sealed class PostgreSqlCheckpointRunQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase? _created;

    private TestDatabase _database => _created ??= TestDatabase.Require();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_created is not null)
        {
            await _created.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task ListRecentRunsAsync_WithoutFilters_ListsNewestFirstUpToTheLimit()
    {
        var store = await SeedAsync();

        Assert.Equal(["r4", "r3", "r2"], await store.ListRecentRunsAsync(status: null, agentId: null, limit: 3));
    }

    [SkippableFact]
    public async Task ListRecentRunsAsync_ByStatusAndAgent_ListsOnlyThoseRuns()
    {
        var store = await SeedAsync();

        Assert.Equal(["r3", "r1"], await store.ListRecentRunsAsync(CheckpointStatus.Finished, agentId: null, limit: 10));
        Assert.Equal(["r4", "r2"], await store.ListRecentRunsAsync(status: null, "agent-b", limit: 10));
        Assert.Equal(["r4"], await store.ListRecentRunsAsync(CheckpointStatus.Suspended, "agent-b", limit: 10));
        Assert.Empty(await store.ListRecentRunsAsync(CheckpointStatus.Running, "agent-a", limit: 10));
    }

    private async Task<PostgreSqlCheckpointStore> SeedAsync()
    {
        var store = _database.Store();
        foreach (var (id, agent, minute) in new[] { ("r1", "agent-a", 1), ("r2", "agent-b", 2), ("r3", "agent-a", 3), ("r4", "agent-b", 4) })
        {
            await store.CreateRunAsync(CheckpointStoreBehaviourTests.Header(id, s_start.AddMinutes(minute)) with { AgentId = agent });
        }

        await store.SetStatusAsync("r1", CheckpointStatus.Finished, ExecutionStatus.Succeeded, s_start.AddMinutes(10));
        await store.SetStatusAsync("r3", CheckpointStatus.Finished, ExecutionStatus.Failed, s_start.AddMinutes(10));
        await store.SetStatusAsync("r4", CheckpointStatus.Suspended, null, s_start.AddMinutes(10));
        return store;
    }
}
