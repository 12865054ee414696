using NSubstitute;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Tests.Memory;

public class MemoryInjectorTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryMemoryStore _store = new();

    private async Task SaveRunsAsync(int count, string user = "u", string agent = "a", int summaryLength = 40)
    {
        for (var i = 1; i <= count; i++)
        {
            await _store.SaveRunAsync(new RunMemory
            {
                UserId = user,
                AgentId = agent,
                ExecutionId = "e" + i,
                RunNumber = 0,
                Status = "succeeded",
                Summary = $"summary {i} " + new string('x', summaryLength),
                CreatedAt = At,
            });
        }
    }

    private static ValueTask<InjectedMemory> BuildAsync(IMemoryStore store, MemoryOptions options, ITokenEstimator? estimator = null) =>
        MemoryInjector.BuildAsync(store, estimator ?? CharacterTokenEstimator.Instance, options, new RunLineCache(), "u", "a", CancellationToken.None);

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(100)]
    [InlineData(800)]
    public async Task BuildAsync_ManyLongMemories_NeverExceedsTheBudget(int budget)
    {
        await SaveRunsAsync(20, summaryLength: 300);
        for (var i = 0; i < 5; i++)
        {
            await _store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k" + i, Content = new string('m', 200), CreatedAt = At });
        }

        var memory = await BuildAsync(_store, new MemoryOptions { TokenBudget = budget, MinRecentRuns = 3, MaxRecentRuns = 10 });

        Assert.InRange(memory.Tokens, 0, budget);
        Assert.Equal(CharacterTokenEstimator.Instance.CountTokens(memory.Context), memory.Tokens);
    }

    [Fact]
    public async Task Regression_ThreeNewestRuns_AreNotAddedOverBudget()
    {
        // The stored engine always added its three newest runs, even when they did not fit.
        await SaveRunsAsync(3, summaryLength: 400);

        var memory = await BuildAsync(_store, new MemoryOptions { TokenBudget = 50, MinRecentRuns = 3 });

        Assert.Equal(0, memory.RunEntries);
        Assert.Equal(string.Empty, memory.Context);
    }

    [Fact]
    public async Task BuildAsync_RunsThatFit_NewestFirstUpToMaxRecentRuns()
    {
        await SaveRunsAsync(6, summaryLength: 5);

        var memory = await BuildAsync(_store, new MemoryOptions { TokenBudget = 800, MinRecentRuns = 1, MaxRecentRuns = 4 });

        Assert.Equal(4, memory.RunEntries);
        var order = new[] { "summary 6", "summary 5", "summary 4", "summary 3" }.Select(s => memory.Context.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain("summary 2", memory.Context, StringComparison.Ordinal);
        Assert.Contains("Run 6 (2026-11-24, succeeded)", memory.Context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_TightBudget_MinRecentRunsComeBeforeUserMemories()
    {
        await SaveRunsAsync(3, summaryLength: 60);
        await _store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k", Content = "prefers Slack " + new string('s', 60), Importance = 1, CreatedAt = At });

        // Room for about two entries: the newest run first, then the user's memory, and no older run.
        var memory = await BuildAsync(_store, new MemoryOptions { TokenBudget = 60, MinRecentRuns = 1, MaxRecentRuns = 3 });

        Assert.Contains("summary 3", memory.Context, StringComparison.Ordinal);
        Assert.Contains("prefers Slack", memory.Context, StringComparison.Ordinal);
        Assert.Equal(1, memory.RunEntries);
        Assert.Equal(1, memory.UserEntries);
    }

    [Fact]
    public async Task BuildAsync_EntryTooLargeForWhatIsLeft_SmallerLaterEntryStillFits()
    {
        await _store.SaveRunAsync(new RunMemory { UserId = "u", AgentId = "a", ExecutionId = "big", RunNumber = 0, Status = "failed", Summary = new string('b', 600), CreatedAt = At });
        await _store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k", Content = "short fact", CreatedAt = At });

        var memory = await BuildAsync(_store, new MemoryOptions { TokenBudget = 40 });

        Assert.Equal(0, memory.RunEntries);
        Assert.Equal(1, memory.UserEntries);
        Assert.Contains("short fact", memory.Context, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_StoreReturnsOtherUsersMemories_TheyAreLeftOut()
    {
        // A host's store that ignores the filter must not leak another user's or agent's memories into the run.
#pragma warning disable CA2012 // NSubstitute configures calls by making them.
        var leaky = Substitute.For<IMemoryStore>();
        leaky.GetRecentRunsAsync("u", "a", Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<RunMemory>>(
        [
            new RunMemory { UserId = "other", AgentId = "a", ExecutionId = "1", RunNumber = 9, Status = "succeeded", Summary = "other user's run", CreatedAt = At },
            new RunMemory { UserId = "u", AgentId = "other-agent", ExecutionId = "2", RunNumber = 8, Status = "succeeded", Summary = "other agent's run", CreatedAt = At },
            new RunMemory { UserId = "u", AgentId = "a", ExecutionId = "3", RunNumber = 1, Status = "succeeded", Summary = "own run", CreatedAt = At },
        ]));
        leaky.GetUserMemoriesAsync("u", "a", Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<UserMemory>>(
        [
            new UserMemory { UserId = "other", Key = "k", Content = "other user's fact", CreatedAt = At },
            new UserMemory { UserId = "u", AgentId = "other-agent", Key = "k", Content = "other agent's fact", CreatedAt = At },
        ]));
#pragma warning restore CA2012

        var memory = await BuildAsync(leaky, new MemoryOptions());

        Assert.Contains("own run", memory.Context, StringComparison.Ordinal);
        Assert.DoesNotContain("other", memory.Context, StringComparison.Ordinal);
        Assert.Equal(1, memory.Entries);
    }

    [Theory]
    [InlineData(new[] { 6, 5, 4, 3, 2 }, new[] { 6, 5, 4 })] // Newest first, more than asked: the newest three.
    [InlineData(new[] { 2, 6, 4 }, new[] { 6, 4, 2 })] // Out of order: sorted newest first.
    [InlineData(new[] { 3, 2, 1 }, new[] { 3, 2, 1 })] // Already right: used as it is.
    public async Task BuildAsync_StoreAnswersMoreOrUnsortedRuns_TheNewestMaxRunsAreUsedNewestFirst(int[] stored, int[] expected)
    {
#pragma warning disable CA2012 // NSubstitute configures calls by making them.
        var store = Substitute.For<IMemoryStore>();
        store.GetRecentRunsAsync("u", "a", Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<RunMemory>>(
            stored.Select(n => new RunMemory { UserId = "u", AgentId = "a", ExecutionId = "e" + n, RunNumber = n, Status = "succeeded", Summary = "run " + n, CreatedAt = At }).ToArray()));
        store.GetUserMemoriesAsync("u", "a", Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<UserMemory>>([]));
#pragma warning restore CA2012

        var memory = await BuildAsync(store, new MemoryOptions { MaxRecentRuns = 3, MinRecentRuns = 1 });

        Assert.Equal(expected, memory.RecentRuns.Select(r => r.RunNumber));
        Assert.Equal(expected.Length, memory.RunEntries);
        var order = expected.Select(n => memory.Context.IndexOf("run " + n, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task BuildAsync_PluggedTokenizer_BudgetCountedWithIt()
    {
        await SaveRunsAsync(5, summaryLength: 0);
        var words = new WordCountingEstimator();

        var memory = await BuildAsync(_store, new MemoryOptions { TokenBudget = 20, MaxRecentRuns = 5 }, words);

        Assert.InRange(words.CountTokens(memory.Context), 1, 20);
        Assert.Equal(words.CountTokens(memory.Context), memory.Tokens);
        Assert.True(memory.RunEntries is > 0 and < 5, $"{memory.RunEntries} entries");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(57)]
    [InlineData(140)]
    [InlineData(333)]
    [InlineData(5000)]
    public async Task BuildAsync_DefaultEstimator_ChoosesWhatCountingEachRenderedTextChooses(int budget)
    {
        // The default estimator is not asked: the rendered length gives its count. An estimator of another type with the
        // same rule is asked with each rendered string; both must choose the same entries and text at every budget.
        for (var i = 1; i <= 8; i++)
        {
            await SaveRunsAsync(1, summaryLength: i * 13);
        }

        for (var i = 0; i < 5; i++)
        {
            await _store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k" + i, Content = "likes " + new string('m', i * 17) + " \n", Importance = i, CreatedAt = At });
        }

        var options = new MemoryOptions { TokenBudget = budget, MinRecentRuns = 2, MaxRecentRuns = 6, MaxUserMemories = 5 };
        var shortcut = await BuildAsync(_store, options);
        var asked = await BuildAsync(_store, options, new QuarterLengthEstimator());

        Assert.Equal(asked.Context, shortcut.Context);
        Assert.Equal(asked.Tokens, shortcut.Tokens);
        Assert.Equal(asked.RunEntries, shortcut.RunEntries);
        Assert.Equal(asked.UserEntries, shortcut.UserEntries);
        Assert.InRange(shortcut.Tokens, 0, budget);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(18)]
    [InlineData(27)]
    [InlineData(40)]
    [InlineData(800)]
    public async Task BuildAsync_DefaultEstimator_LinesEndingInWhiteSpace_CountedAsTheTrimmedTextIs(int budget)
    {
        // An empty summary ends its line with ": " and a blank user memory is the line "- ": the rendered text's trailing
        // white space is cut inside the last line, which the added-up length must take off as rendering does.
        await _store.SaveRunAsync(new RunMemory { UserId = "u", AgentId = "a", ExecutionId = "e1", RunNumber = 0, Status = "failed", Summary = "", CreatedAt = At });
        await _store.SaveRunAsync(new RunMemory { UserId = "u", AgentId = "a", ExecutionId = "e2", RunNumber = 0, Status = "succeeded", Summary = "  \n ", CreatedAt = At });
        await _store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "blank", Content = " \t ", Importance = 1, CreatedAt = At });

        foreach (var options in new[]
        {
            new MemoryOptions { TokenBudget = budget, MinRecentRuns = 1, MaxRecentRuns = 2, MaxUserMemories = 1 },
            new MemoryOptions { TokenBudget = budget, MinRecentRuns = 0, MaxRecentRuns = 2, MaxUserMemories = 0 },
            new MemoryOptions { TokenBudget = budget, MinRecentRuns = 0, MaxRecentRuns = 0, MaxUserMemories = 1 },
        })
        {
            var shortcut = await BuildAsync(_store, options);
            var asked = await BuildAsync(_store, options, new QuarterLengthEstimator());

            Assert.Equal(asked.Context, shortcut.Context);
            Assert.Equal(asked.Tokens, shortcut.Tokens);
            Assert.Equal(asked.Entries, shortcut.Entries);
            Assert.InRange(shortcut.Tokens, 0, budget);
        }
    }

    [Fact]
    public async Task BuildAsync_NothingStored_EmptyContext()
    {
        var memory = await BuildAsync(_store, new MemoryOptions());

        Assert.Equal(string.Empty, memory.Context);
        Assert.Equal(0, memory.Tokens);
        Assert.Equal(0, memory.Entries);
    }

    private sealed class WordCountingEstimator : ITokenEstimator
    {
        public int CountTokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
    }

    /// <summary>The default estimator's rule in another type, so the injector has to ask it.</summary>
    private sealed class QuarterLengthEstimator : ITokenEstimator
    {
        public int CountTokens(string text) => (text.Length + 3) / 4;
    }
}
