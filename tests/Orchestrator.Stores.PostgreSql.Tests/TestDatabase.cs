using Npgsql;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary>
/// The real PostgreSQL server the tests run against, named by <c>ORCHESTRATOR_TEST_POSTGRES</c> (a connection string;
/// <c>.ci/run</c> starts a server and sets it). Each test gets a schema of its own, dropped afterwards. Without the
/// variable the tests are skipped, saying why.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Variable = "ORCHESTRATOR_TEST_POSTGRES";

    public static readonly string? ConnectionString = Environment.GetEnvironmentVariable(Variable);

    public static string SkipReason => $"{Variable} is not set: these tests need a PostgreSQL server (.ci/run starts one and sets it).";

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
