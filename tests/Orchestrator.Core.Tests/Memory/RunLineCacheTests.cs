using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Tests.Memory;

public class RunLineCacheTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static RunMemory Run(string executionId = "e1", string summary = "Sent the digest.") => new()
    {
        UserId = "u",
        AgentId = "a",
        ExecutionId = executionId,
        RunNumber = 3,
        Status = "succeeded",
        Summary = summary,
        KeyOutcomes = ["digest sent"],
        Suggestions = ["send earlier"],
        CreatedAt = At,
    };

    [Fact]
    public void GetOrRender_SameRecordAgain_RenderedOnce()
    {
        var cache = new RunLineCache();
        var renders = 0;
        var run = Run();

        var first = cache.GetOrRender(run, r => $"line {++renders}");
        var second = cache.GetOrRender(run, r => $"line {++renders}");

        Assert.Equal("line 1", first);
        Assert.Same(first, second);
        Assert.Equal(1, renders);
    }

    [Fact]
    public void GetOrRender_EqualRecordReadAgainByAStore_RenderedOnce()
    {
        var cache = new RunLineCache();
        var renders = 0;

        cache.GetOrRender(Run(), r => $"line {++renders}");
        var again = cache.GetOrRender(Run() with { KeyOutcomes = ["digest sent"], Importance = 0.9 }, r => $"line {++renders}");

        Assert.Equal("line 1", again);
        Assert.Equal(1, renders);
    }

    public static TheoryData<RunMemory> Changed => new()
    {
        Run() with { Summary = "Sent nothing." },
        Run() with { RunNumber = 4 },
        Run() with { Status = "failed" },
        Run() with { CreatedAt = At.AddDays(1) },
        Run() with { KeyOutcomes = ["digest sent", "one more"] },
        Run() with { KeyOutcomes = ["digest not sent"] },
        Run() with { Suggestions = [] },
    };

    [Theory]
    [MemberData(nameof(Changed))]
    public void GetOrRender_RecordWhoseLineWouldReadOtherwise_RenderedAgain(RunMemory changed)
    {
        var cache = new RunLineCache();
        cache.GetOrRender(Run(), _ => "old line");

        var line = cache.GetOrRender(changed, _ => "new line");

        Assert.Equal("new line", line);
    }

    [Fact]
    public void GetOrRender_SameDayAnotherHour_SameLine()
    {
        var cache = new RunLineCache();
        cache.GetOrRender(Run(), _ => "line");

        Assert.Equal("line", cache.GetOrRender(Run() with { CreatedAt = At.AddHours(3) }, _ => "other"));
    }

    [Fact]
    public async Task BuildAsync_CacheSharedAcrossRuns_TextsAsFromAFreshCacheAsRunsAreAdded()
    {
        var store = new InMemoryMemoryStore();
        var shared = new RunLineCache();
        var options = new MemoryOptions();
        for (var i = 1; i <= 8; i++)
        {
            await store.SaveRunAsync(Run("e" + i, $"summary of run {i}") with { RunNumber = 0 });

            var withShared = await MemoryInjector.BuildAsync(store, CharacterTokenEstimator.Instance, options, shared, "u", "a", CancellationToken.None);
            var fresh = await MemoryInjector.BuildAsync(store, CharacterTokenEstimator.Instance, options, new RunLineCache(), "u", "a", CancellationToken.None);

            Assert.Equal(fresh.Context, withShared.Context);
            Assert.Contains($"summary of run {i}", withShared.Context, StringComparison.Ordinal);
        }
    }
}
