using Orchestrator.Core.Ports;

namespace Orchestrator.Durability.Testing;

/// <summary>
/// What every <see cref="IMemoryStore"/> must do, written once: each store's test project derives from this class and
/// says how to create its store (a store that several hosts share derives from
/// <see cref="SharedMemoryStoreBehaviourTests"/>, which adds the two-host tests). Every test uses fresh user ids, so
/// stores may share a database.
/// </summary>
public abstract class MemoryStoreBehaviourTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private IMemoryStore? _store;

    /// <summary>The store under test; the test is skipped (with <see cref="UnavailableReason"/>) when there is none.</summary>
    protected IMemoryStore Store => _store ?? throw new SkipException(UnavailableReason ?? "The store is not available.");

    /// <summary>Why the store cannot be tested here (such as a database server that is not configured), or null.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>Creates the store under test (called once per test); null when it is not available (see <see cref="UnavailableReason"/>).</summary>
    protected abstract ValueTask<IMemoryStore?> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> (and a shared store's second store) made.</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    public static string NewUser() => "user-" + Guid.NewGuid().ToString("N");

    public static RunMemory Run(string user, string agent, string summary = "done", DateTimeOffset? createdAt = null) => new()
    {
        UserId = user,
        AgentId = agent,
        ExecutionId = "run-" + Guid.NewGuid().ToString("N"),
        RunNumber = 0,
        Status = "succeeded",
        Summary = summary,
        CreatedAt = createdAt ?? Start,
    };

    private static UserMemory Memory(string user, string? agent, string key, string content, double importance, DateTimeOffset? createdAt = null) => new()
    {
        UserId = user,
        AgentId = agent,
        Key = key,
        Content = content,
        Importance = importance,
        CreatedAt = createdAt ?? Start,
    };

    [SkippableFact]
    public async Task SaveRunAsync_FirstRuns_AreNumberedFromOnePerUserAndAgent()
    {
        var user = NewUser();

        Assert.Equal(1, await Store.SaveRunAsync(Run(user, "mail")));
        Assert.Equal(2, await Store.SaveRunAsync(Run(user, "mail")));
        Assert.Equal(1, await Store.SaveRunAsync(Run(user, "crm")));
        Assert.Equal(1, await Store.SaveRunAsync(Run(NewUser(), "mail")));
        Assert.Equal(3, await Store.SaveRunAsync(Run(user, "mail")));
    }

    [SkippableFact]
    public async Task SaveRunAsync_NumberInTheArgument_IsReplacedByTheStoresNumber()
    {
        var user = NewUser();

        var number = await Store.SaveRunAsync(Run(user, "mail") with { RunNumber = 42 });

        Assert.Equal(1, number);
        Assert.Equal(1, Assert.Single(await Store.GetRecentRunsAsync(user, "mail", 10)).RunNumber);
    }

    [SkippableFact]
    public async Task SaveRunAsync_ThenGetRecentRunsAsync_RoundTripsEveryField()
    {
        var user = NewUser();
        var saved = new RunMemory
        {
            UserId = user,
            AgentId = "mail",
            ExecutionId = "run-" + Guid.NewGuid().ToString("N"),
            RunNumber = 0,
            Status = "partially_succeeded",
            Summary = "Sent the digest; \"quoted\" and ünïcode ✓",
            Sentiment = "negative",
            KeyOutcomes = ["digest sent", "3 mails"],
            PatternsDetected = ["timeouts at 9:00"],
            Suggestions = ["retry later", "", "ask \"Dana\""],
            ErrorCodes = ["PLUGIN_TIMEOUT", "RATE_LIMITED"],
            Importance = 0.85,
            CreatedAt = new DateTimeOffset(2026, 11, 24, 10, 30, 15, 123, TimeSpan.FromHours(2)),
        };

        var number = await Store.SaveRunAsync(saved);
        var loaded = Assert.Single(await Store.GetRecentRunsAsync(user, "mail", 5));

        Assert.Equal(user, loaded.UserId);
        Assert.Equal("mail", loaded.AgentId);
        Assert.Equal(saved.ExecutionId, loaded.ExecutionId);
        Assert.Equal(number, loaded.RunNumber);
        Assert.Equal(saved.Status, loaded.Status);
        Assert.Equal(saved.Summary, loaded.Summary);
        Assert.Equal(saved.Sentiment, loaded.Sentiment);
        Assert.Equal(saved.KeyOutcomes, loaded.KeyOutcomes);
        Assert.Equal(saved.PatternsDetected, loaded.PatternsDetected);
        Assert.Equal(saved.Suggestions, loaded.Suggestions);
        Assert.Equal(saved.ErrorCodes, loaded.ErrorCodes);
        Assert.Equal(saved.Importance, loaded.Importance);
        Assert.Equal(saved.CreatedAt, loaded.CreatedAt); // the same instant (a store may give it back in UTC)
    }

    [SkippableFact]
    public async Task SaveRunAsync_EmptyLists_RoundTripEmpty()
    {
        var user = NewUser();
        await Store.SaveRunAsync(Run(user, "mail"));

        var loaded = Assert.Single(await Store.GetRecentRunsAsync(user, "mail", 5));

        Assert.Empty(loaded.KeyOutcomes);
        Assert.Empty(loaded.PatternsDetected);
        Assert.Empty(loaded.Suggestions);
        Assert.Empty(loaded.ErrorCodes);
        Assert.Equal("neutral", loaded.Sentiment);
    }

    [SkippableFact]
    public async Task GetRecentRunsAsync_OtherUsersAndAgents_NeverReturned()
    {
        var alice = NewUser();
        var bob = NewUser();
        await Store.SaveRunAsync(Run(alice, "mail", "alice mail"));
        await Store.SaveRunAsync(Run(bob, "mail", "bob mail"));
        await Store.SaveRunAsync(Run(alice, "crm", "alice crm"));

        Assert.Equal("alice mail", Assert.Single(await Store.GetRecentRunsAsync(alice, "mail", 10)).Summary);
        Assert.Equal("bob mail", Assert.Single(await Store.GetRecentRunsAsync(bob, "mail", 10)).Summary);
        Assert.Equal("alice crm", Assert.Single(await Store.GetRecentRunsAsync(alice, "crm", 10)).Summary);
        Assert.Empty(await Store.GetRecentRunsAsync(bob, "crm", 10));
    }

    [SkippableFact]
    public async Task GetRecentRunsAsync_ManyRuns_NewestFirstUpToTheLimit()
    {
        var user = NewUser();
        for (var i = 1; i <= 5; i++)
        {
            // Older timestamps on newer runs: the order is the run number's, not the clock's.
            await Store.SaveRunAsync(Run(user, "mail", $"run {i}", Start.AddMinutes(-i)));
        }

        var runs = await Store.GetRecentRunsAsync(user, "mail", 2);

        Assert.Equal(["run 5", "run 4"], runs.Select(r => r.Summary));
        Assert.Equal([5, 4], runs.Select(r => r.RunNumber));
        Assert.Equal([5, 4, 3, 2, 1], (await Store.GetRecentRunsAsync(user, "mail", 10)).Select(r => r.RunNumber));
        Assert.Empty(await Store.GetRecentRunsAsync(user, "mail", 0));
    }

    [SkippableFact]
    public async Task CountRunsAsync_CountsThatUserAndAgentOnly()
    {
        var user = NewUser();
        Assert.Equal(0, await Store.CountRunsAsync(user, "mail"));
        await Store.SaveRunAsync(Run(user, "mail"));
        await Store.SaveRunAsync(Run(user, "mail"));
        await Store.SaveRunAsync(Run(user, "crm"));
        await Store.SaveRunAsync(Run(NewUser(), "mail"));

        Assert.Equal(2, await Store.CountRunsAsync(user, "mail"));
        Assert.Equal(1, await Store.CountRunsAsync(user, "crm"));
    }

    [SkippableFact]
    public async Task GetUserMemoriesAsync_MostImportantFirst_AgentWideAndOwnAgentOnly()
    {
        var user = NewUser();
        await Store.SaveUserMemoryAsync(Memory(user, null, "tone", "likes short answers", 0.4));
        await Store.SaveUserMemoryAsync(Memory(user, "mail", "vip", "boss is Dana", 0.9));
        await Store.SaveUserMemoryAsync(Memory(user, "crm", "region", "EMEA", 1));
        await Store.SaveUserMemoryAsync(Memory(NewUser(), null, "tone", "verbose", 1));

        var memories = await Store.GetUserMemoriesAsync(user, "mail", 10);

        Assert.Equal(["boss is Dana", "likes short answers"], memories.Select(m => m.Content));
        Assert.Equal(["mail", null], memories.Select(m => m.AgentId));
        Assert.Equal(["vip", "tone"], memories.Select(m => m.Key));
        Assert.Equal([0.9, 0.4], memories.Select(m => m.Importance));
        Assert.All(memories, m => Assert.Equal(user, m.UserId));
        Assert.All(memories, m => Assert.Equal(Start, m.CreatedAt));
    }

    [SkippableFact]
    public async Task GetUserMemoriesAsync_EqualImportance_NewerFirstUpToTheLimit()
    {
        var user = NewUser();
        await Store.SaveUserMemoryAsync(Memory(user, null, "a", "oldest", 0.5, Start));
        await Store.SaveUserMemoryAsync(Memory(user, "mail", "b", "newest", 0.5, Start.AddHours(2)));
        await Store.SaveUserMemoryAsync(Memory(user, null, "c", "middle", 0.5, Start.AddHours(1)));
        await Store.SaveUserMemoryAsync(Memory(user, null, "d", "unimportant", 0.1, Start.AddHours(3)));

        Assert.Equal(["newest", "middle"], (await Store.GetUserMemoriesAsync(user, "mail", 2)).Select(m => m.Content));
        Assert.Equal(["newest", "middle", "oldest", "unimportant"], (await Store.GetUserMemoriesAsync(user, "mail", 10)).Select(m => m.Content));
        Assert.Empty(await Store.GetUserMemoriesAsync(user, "mail", 0));
    }

    [SkippableFact]
    public async Task SaveUserMemoryAsync_SameUserAgentAndKey_ReplacesTheMemory()
    {
        var user = NewUser();
        await Store.SaveUserMemoryAsync(Memory(user, null, "tone", "old", 0.5));
        await Store.SaveUserMemoryAsync(Memory(user, null, "tone", "new", 0.7, Start.AddHours(1)));

        var memory = Assert.Single(await Store.GetUserMemoriesAsync(user, "mail", 10));

        Assert.Equal("new", memory.Content);
        Assert.Equal(0.7, memory.Importance);
        Assert.Equal(Start.AddHours(1), memory.CreatedAt);
    }

    [SkippableFact]
    public async Task SaveUserMemoryAsync_SameKeyForAnotherAgentOrAllAgents_KeepsBoth()
    {
        var user = NewUser();
        await Store.SaveUserMemoryAsync(Memory(user, null, "tone", "for every agent", 0.5));
        await Store.SaveUserMemoryAsync(Memory(user, "mail", "tone", "for mail", 0.6));
        await Store.SaveUserMemoryAsync(Memory(user, "crm", "tone", "for crm", 0.7));

        Assert.Equal(["for mail", "for every agent"], (await Store.GetUserMemoriesAsync(user, "mail", 10)).Select(m => m.Content));
        Assert.Equal(["for crm", "for every agent"], (await Store.GetUserMemoriesAsync(user, "crm", 10)).Select(m => m.Content));
    }

    [SkippableFact]
    public async Task SaveRunAsync_FiftyConcurrentRuns_GetDistinctConsecutiveNumbers()
    {
        var user = NewUser();

        var numbers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () => await Store.SaveRunAsync(Run(user, "mail", $"run {i}")))));

        Assert.Equal(Enumerable.Range(1, 50), numbers.Order());
        var stored = await Store.GetRecentRunsAsync(user, "mail", 100);
        Assert.Equal(Enumerable.Range(1, 50).Reverse(), stored.Select(r => r.RunNumber));
        Assert.Equal(50, stored.Select(r => r.Summary).Distinct().Count());
    }
}
