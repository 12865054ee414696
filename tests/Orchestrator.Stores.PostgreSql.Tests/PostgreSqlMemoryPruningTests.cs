using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary>Issue 12, bounded memory: run memories in PostgreSQL grew without end.</summary>
public class PostgreSqlMemoryPruningTests
{
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

    [SkippableFact]
    public async Task SaveRunAsync_MoreRunsThanMaxRunsPerAgent_KeepsTheNewestOfThatUserAndAgentOnly()
    {
        await using var database = TestDatabase.Require();
        var sut = new PostgreSqlMemoryStore(database.DataSource, database.Schema) { MaxRunsPerAgent = 3 };
        await sut.SaveRunAsync(Run("u2", "a1", 0));

        for (var n = 1; n <= 7; n++)
        {
            await sut.SaveRunAsync(Run("u1", "a1", n));
        }

        Assert.Equal([7, 6, 5], (await sut.GetRecentRunsAsync("u1", "a1", 100)).Select(r => r.RunNumber));
        Assert.Single(await sut.GetRecentRunsAsync("u2", "a1", 100));
        Assert.Equal(7, await sut.CountRunsAsync("u1", "a1"));
        Assert.Equal(8, await sut.SaveRunAsync(Run("u1", "a1", 8)));
    }
}
