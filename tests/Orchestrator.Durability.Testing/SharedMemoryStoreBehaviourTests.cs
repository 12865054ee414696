using Orchestrator.Core.Ports;

namespace Orchestrator.Durability.Testing;

/// <summary>
/// What a memory store that several hosts (or processes) share must do besides <see cref="MemoryStoreBehaviourTests"/>:
/// a store that lives in one process (the in-memory one) derives from the base class only, so it has no two-host test
/// to skip.
/// </summary>
public abstract class SharedMemoryStoreBehaviourTests : MemoryStoreBehaviourTests
{
    /// <summary>A second store over the same storage, as another host (or process) would open it.</summary>
    protected abstract ValueTask<IMemoryStore> CreateSecondStoreAsync();

    [SkippableFact]
    public async Task SaveRunAsync_ConcurrentRunsFromTwoStores_GetDistinctConsecutiveNumbers()
    {
        var first = Store;
        var second = await CreateSecondStoreAsync();
        var user = NewUser();

        var numbers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? first : second).SaveRunAsync(Run(user, "mail", $"run {i}")))));

        Assert.Equal(Enumerable.Range(1, 50), numbers.Order());
        Assert.Equal(50, await second.CountRunsAsync(user, "mail"));
        Assert.Equal(Enumerable.Range(1, 50).Reverse(), (await first.GetRecentRunsAsync(user, "mail", 100)).Select(r => r.RunNumber));
    }
}
