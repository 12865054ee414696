using Npgsql;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary>
/// The real PostgreSQL server the tests run against: the one <c>ORCHESTRATOR_TEST_POSTGRES</c> names (a connection
/// string; <c>.ci/run</c> sets it), else a throw-away server the tests start themselves when PostgreSQL is installed
/// (<see cref="ThrowAwayServer"/>). Each test gets a schema of its own, dropped afterwards. With neither, the tests are
/// skipped: the first skip says how to run them, the others point to it (and <c>.ci/run</c> fails on any skip).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Variable = "ORCHESTRATOR_TEST_POSTGRES";

    private static readonly Lazy<(string? ConnectionString, string WhyNot)> s_server = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int s_told;

    /// <summary>The server's connection string, or null when there is none (see <see cref="SkipReason"/>).</summary>
    public static string? ConnectionString => s_server.Value.ConnectionString;

    /// <summary>Why the tests skip: said in full once, then pointed to.</summary>
    public static string SkipReason => Interlocked.Exchange(ref s_told, 1) == 0
        ? $"No PostgreSQL server for these tests: {s_server.Value.WhyNot}. To run them, install PostgreSQL (Debian: apt-get install postgresql; the tests then start a throw-away server themselves), or set {Variable} to a connection string of a server where the user may create schemas, or run .ci/run, which does both."
        : "No PostgreSQL server (the first skipped PostgreSQL test says how to run these).";

    private static (string?, string) Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return (configured, string.Empty);
        }

        var server = ThrowAwayServer.TryStart(out var whyNot);
        return (server?.ConnectionString, $"{Variable} is not set and {whyNot}");
    }

    private TestDatabase(NpgsqlDataSource dataSource, string schema)
    {
        DataSource = dataSource;
        Schema = schema;
    }

    public NpgsqlDataSource DataSource { get; }

    public string Schema { get; }

    /// <summary>A fresh schema on the server, or null when no server is configured.</summary>
    public static TestDatabase? TryCreate() =>
        ConnectionString is null ? null : new TestDatabase(NpgsqlDataSource.Create(ConnectionString), "t_" + Guid.NewGuid().ToString("N"));

    /// <summary>The database, or a skip when no server is configured.</summary>
    public static TestDatabase Require() => TryCreate() ?? throw new SkipException(SkipReason);

    public PostgreSqlCheckpointStore Store(string? owner = null) =>
        new(DataSource, new PostgreSqlCheckpointStoreOptions { Schema = Schema, LeaseOwner = owner });

    public PostgreSqlRunLeases Leases() => new(DataSource, Schema);

    public async ValueTask DisposeAsync()
    {
        await using (var command = DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await DataSource.DisposeAsync();
    }
}
