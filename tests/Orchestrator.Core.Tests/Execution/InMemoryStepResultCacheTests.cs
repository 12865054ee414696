using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution;

/// <summary>Issue 12, bounded memory: the default cache held every entry until it was read again after expiry.</summary>
public class InMemoryStepResultCacheTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task SetAsync_ManyDistinctKeysNeverReadAgain_NeverHoldsMoreThanMaxEntries()
    {
        var sut = new InMemoryStepResultCache(_time) { MaxEntries = 50 };

        for (var i = 0; i < 1_000; i++)
        {
            await sut.SetAsync("k" + i, Json.Parse("{}"), TimeSpan.FromHours(1));
            Assert.True(sut.Count <= 50, $"{sut.Count} entries after {i + 1} stores.");
        }

        Assert.NotNull(await sut.GetAsync("k999"));
    }

    [Fact]
    public async Task SetAsync_CacheFull_DropsExpiredEntriesBeforeLiveOnes()
    {
        var sut = new InMemoryStepResultCache(_time) { MaxEntries = 4 };
        await sut.SetAsync("short-1", Json.Parse("1"), TimeSpan.FromSeconds(1));
        await sut.SetAsync("short-2", Json.Parse("2"), TimeSpan.FromSeconds(1));
        await sut.SetAsync("long-1", Json.Parse("3"), TimeSpan.FromHours(1));
        await sut.SetAsync("long-2", Json.Parse("4"), TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromSeconds(2));

        await sut.SetAsync("new", Json.Parse("5"), TimeSpan.FromHours(1));

        Assert.Equal(3, sut.Count);
        Assert.NotNull(await sut.GetAsync("long-1"));
        Assert.NotNull(await sut.GetAsync("long-2"));
        Assert.NotNull(await sut.GetAsync("new"));
    }

    [Fact]
    public async Task SetAsync_CacheFullOfLiveEntries_DropsThoseClosestToExpiry()
    {
        var sut = new InMemoryStepResultCache(_time) { MaxEntries = 3 };
        await sut.SetAsync("soon", Json.Parse("1"), TimeSpan.FromMinutes(1));
        await sut.SetAsync("later", Json.Parse("2"), TimeSpan.FromMinutes(10));
        await sut.SetAsync("latest", Json.Parse("3"), TimeSpan.FromMinutes(20));

        await sut.SetAsync("new", Json.Parse("4"), TimeSpan.FromMinutes(30));

        Assert.Null(await sut.GetAsync("soon"));
        Assert.NotNull(await sut.GetAsync("later"));
        Assert.NotNull(await sut.GetAsync("new"));
    }

    [Fact]
    public async Task SetAsync_ReplacingAKeyInAFullCache_EvictsNothing()
    {
        var sut = new InMemoryStepResultCache(_time) { MaxEntries = 2 };
        await sut.SetAsync("a", Json.Parse("1"), TimeSpan.FromMinutes(1));
        await sut.SetAsync("b", Json.Parse("2"), TimeSpan.FromMinutes(2));

        await sut.SetAsync("a", Json.Parse("3"), TimeSpan.FromMinutes(1));

        Assert.Equal(2, sut.Count);
        Assert.Equal(3, (await sut.GetAsync("a"))!.Value.GetInt32());
    }

    [Fact]
    public void MaxEntries_LessThanOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryStepResultCache(_time) { MaxEntries = 0 });
}
