using System.Text.Json;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Tests.Durability;

/// <summary><see cref="ICheckpointRunQuery"/> on the in-memory store: newest first, by status and agent.</summary>
public sealed class InMemoryCheckpointRunQueryTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListRecentRunsAsync_WithoutFilters_ListsNewestFirstUpToTheLimit()
    {
        var store = await CreateSutAsync();

        var ids = await store.ListRecentRunsAsync(status: null, agentId: null, limit: 3);

        Assert.Equal(["r4", "r3", "r2"], ids);
    }

    [Fact]
    public async Task ListRecentRunsAsync_ByStatusAndAgent_ListsOnlyThoseRuns()
    {
        var store = await CreateSutAsync();

        Assert.Equal(["r3", "r1"], await store.ListRecentRunsAsync(CheckpointStatus.Finished, agentId: null, limit: 10));
        Assert.Equal(["r4", "r2"], await store.ListRecentRunsAsync(status: null, "agent-b", limit: 10));
        Assert.Equal(["r3", "r1"], await store.ListRecentRunsAsync(CheckpointStatus.Finished, "agent-a", limit: 10));
        Assert.Empty(await store.ListRecentRunsAsync(CheckpointStatus.Running, "agent-a", limit: 10));
    }

    [Fact]
    public async Task ListRecentRunsAsync_SameStart_OrdersById()
    {
        var store = new InMemoryCheckpointStore();
        await store.CreateRunAsync(Run("b", "agent-a", 0));
        await store.CreateRunAsync(Run("a", "agent-a", 0));

        Assert.Equal(["a", "b"], await store.ListRecentRunsAsync(null, null, 10));
    }

    [Fact]
    public async Task ListRecentRunsAsync_NegativeLimit_Throws()
    {
        var store = new InMemoryCheckpointStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ListRecentRunsAsync(null, null, -1));
    }

    private static async Task<InMemoryCheckpointStore> CreateSutAsync()
    {
        var store = new InMemoryCheckpointStore();
        await store.CreateRunAsync(Run("r1", "agent-a", 1));
        await store.CreateRunAsync(Run("r2", "agent-b", 2));
        await store.CreateRunAsync(Run("r3", "agent-a", 3));
        await store.CreateRunAsync(Run("r4", "agent-b", 4));
        await store.SetStatusAsync("r1", CheckpointStatus.Finished, ExecutionStatus.Succeeded, s_start.AddMinutes(10));
        await store.SetStatusAsync("r3", CheckpointStatus.Finished, ExecutionStatus.Failed, s_start.AddMinutes(10));
        await store.SetStatusAsync("r4", CheckpointStatus.Suspended, null, s_start.AddMinutes(10));
        return store;
    }

    private static RunCheckpoint Run(string id, string agent, int minute) => new()
    {
        ExecutionId = id,
        AgentId = agent,
        DefinitionJson = "{}",
        DefinitionHash = "0",
        Inputs = JsonDocument.Parse("{}").RootElement,
        UserId = "u1",
        CreatedAt = s_start.AddMinutes(minute),
    };
}
