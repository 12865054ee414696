using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Tests.Memory;

public class InMemoryMemoryStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static RunMemory Run(string user, string agent, string summary = "done") => new()
    {
        UserId = user,
        AgentId = agent,
        ExecutionId = Guid.NewGuid().ToString("N"),
        RunNumber = 0,
        Status = "succeeded",
        Summary = summary,
        CreatedAt = At,
    };

    [Fact]
    public async Task SaveRunAsync_FirstRun_IsNumberedOne()
    {
        var store = new InMemoryMemoryStore();

        Assert.Equal(1, await store.SaveRunAsync(Run("u", "a")));
        Assert.Equal(2, await store.SaveRunAsync(Run("u", "a")));
        Assert.Equal(1, await store.SaveRunAsync(Run("u", "other-agent")));
        Assert.Equal(2, await store.CountRunsAsync("u", "a"));
    }

    [Fact]
    public async Task SaveRunAsync_ConcurrentRuns_EachGetsItsOwnNumber()
    {
        var store = new InMemoryMemoryStore(maxRunsPerAgent: 500);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(async () => await store.SaveRunAsync(Run("u", "a")))));

        Assert.Equal(Enumerable.Range(1, 200), numbers.Order());
    }

    [Fact]
    public async Task GetRecentRunsAsync_OtherUsersAndAgents_NeverReturned()
    {
        var store = new InMemoryMemoryStore();
        await store.SaveRunAsync(Run("alice", "mail", "alice mail"));
        await store.SaveRunAsync(Run("bob", "mail", "bob mail"));
        await store.SaveRunAsync(Run("alice", "crm", "alice crm"));

        var runs = await store.GetRecentRunsAsync("alice", "mail", 10);

        Assert.Equal("alice mail", Assert.Single(runs).Summary);
    }

    [Fact]
    public async Task GetRecentRunsAsync_ManyRuns_NewestFirstUpToTheLimit()
    {
        var store = new InMemoryMemoryStore(maxRunsPerAgent: 3);
        for (var i = 1; i <= 5; i++)
        {
            await store.SaveRunAsync(Run("u", "a", $"run {i}"));
        }

        var runs = await store.GetRecentRunsAsync("u", "a", 2);

        Assert.Equal(["run 5", "run 4"], runs.Select(r => r.Summary));
        Assert.Equal([5, 4], runs.Select(r => r.RunNumber));
        Assert.Equal([5, 4, 3], (await store.GetRecentRunsAsync("u", "a", 10)).Select(r => r.RunNumber));
        Assert.Empty(await store.GetRecentRunsAsync("u", "a", 0));
        Assert.Empty(await store.GetRecentRunsAsync("u", "a", -1));
        Assert.Equal(5, await store.CountRunsAsync("u", "a"));
    }

    [Fact]
    public async Task GetUserMemoriesAsync_MostImportantFirst_AgentWideAndOwnAgentOnly()
    {
        var store = new InMemoryMemoryStore();
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "tone", Content = "likes short answers", Importance = 0.4, CreatedAt = At });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", AgentId = "mail", Key = "vip", Content = "boss is Dana", Importance = 0.9, CreatedAt = At });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", AgentId = "crm", Key = "region", Content = "EMEA", Importance = 1, CreatedAt = At });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "someone-else", Key = "tone", Content = "verbose", Importance = 1, CreatedAt = At });

        var memories = await store.GetUserMemoriesAsync("u", "mail", 10);

        Assert.Equal(["boss is Dana", "likes short answers"], memories.Select(m => m.Content));
    }

    [Fact]
    public async Task SaveUserMemoryAsync_SameKey_ReplacesTheMemory()
    {
        var store = new InMemoryMemoryStore();
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "tone", Content = "old", CreatedAt = At });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "tone", Content = "new", CreatedAt = At });

        Assert.Equal("new", Assert.Single(await store.GetUserMemoriesAsync("u", "a", 10)).Content);
    }

    [Fact]
    public async Task SaveUserMemoryAsync_MoreThanMaxUserMemoriesPerUser_DropsTheLeastImportantOldestOfThatUserOnly()
    {
        var store = new InMemoryMemoryStore { MaxUserMemoriesPerUser = 3 };
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "other", Key = "keep", Content = "other's", Importance = 0.1, CreatedAt = At });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k1", Content = "old low", Importance = 0.2, CreatedAt = At });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k2", Content = "new low", Importance = 0.2, CreatedAt = At.AddMinutes(1) });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", AgentId = "a", Key = "k3", Content = "high", Importance = 0.9, CreatedAt = At });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k4", Content = "mid", Importance = 0.5, CreatedAt = At.AddMinutes(2) });

        var memories = await store.GetUserMemoriesAsync("u", "a", 10);

        Assert.Equal(["high", "mid", "new low"], memories.Select(m => m.Content));
        Assert.Equal("other's", Assert.Single(await store.GetUserMemoriesAsync("other", "a", 10)).Content);
    }

    [Fact]
    public async Task SaveUserMemoryAsync_ReplacingAnExistingKeyAtTheBound_DropsNothing()
    {
        var store = new InMemoryMemoryStore { MaxUserMemoriesPerUser = 2 };
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k1", Content = "one", Importance = 0.1, CreatedAt = At });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k2", Content = "two", Importance = 0.2, CreatedAt = At });
        await store.SaveUserMemoryAsync(new UserMemory { UserId = "u", Key = "k1", Content = "one again", Importance = 0.1, CreatedAt = At });

        Assert.Equal(["two", "one again"], (await store.GetUserMemoriesAsync("u", "a", 10)).Select(m => m.Content));
    }

    [Fact]
    public void MaxUserMemoriesPerUser_LessThanOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryMemoryStore { MaxUserMemoriesPerUser = 0 });

    [Fact]
    public void Constructor_MaxRunsPerAgentLessThanOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryMemoryStore(maxRunsPerAgent: 0));
}
