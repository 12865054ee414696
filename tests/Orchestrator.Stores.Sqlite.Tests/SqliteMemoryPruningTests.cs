using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.Sqlite.Tests;

/// <summary>Issue 12, bounded memory: run memories in SQLite grew without end.</summary>
public sealed class SqliteMemoryPruningTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-sqlite-").FullName;

    private static RunMemory Run(string user, string agent, int n) => new()
    {
        UserId = user,
        AgentId = agent,
        ExecutionId = "run-" + n,
        RunNumber = 0,
        Status = "succeeded",
        Summary = "summary " + n,
        CreatedAt = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero).AddMinutes(n),
    };

    [Fact]
    public async Task SaveRunAsync_MoreRunsThanMaxRunsPerAgent_KeepsTheNewestAndNumberingGoesOn()
    {
        using var sut = new SqliteMemoryStore(SqliteConnectionString()) { MaxRunsPerAgent = 3 };

        for (var n = 1; n <= 7; n++)
        {
            await sut.SaveRunAsync(Run("u1", "a1", n));
        }

        var kept = await sut.GetRecentRunsAsync("u1", "a1", 100);
        Assert.Equal([7, 6, 5], kept.Select(r => r.RunNumber));
        Assert.Equal(7, await sut.CountRunsAsync("u1", "a1"));
        Assert.Equal(8, await sut.SaveRunAsync(Run("u1", "a1", 8)));
    }

    [Fact]
    public async Task SaveRunAsync_Pruning_LeavesOtherUsersAndAgentsAlone()
    {
        using var sut = new SqliteMemoryStore(SqliteConnectionString()) { MaxRunsPerAgent = 1 };
        await sut.SaveRunAsync(Run("u2", "a1", 1));
        await sut.SaveRunAsync(Run("u1", "a2", 2));

        for (var n = 3; n <= 5; n++)
        {
            await sut.SaveRunAsync(Run("u1", "a1", n));
        }

        Assert.Single(await sut.GetRecentRunsAsync("u2", "a1", 10));
        Assert.Single(await sut.GetRecentRunsAsync("u1", "a2", 10));
        Assert.Equal("summary 5", Assert.Single(await sut.GetRecentRunsAsync("u1", "a1", 10)).Summary);
    }

    [Fact]
    public void MaxRunsPerAgent_LessThanOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteMemoryStore(SqliteConnectionString()) { MaxRunsPerAgent = 0 });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string SqliteConnectionString() => $"Data Source={Path.Combine(_directory, "memories.db")}";
}
