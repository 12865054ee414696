using Npgsql;
using Orchestrator.Stores.PostgreSql;
using Orchestrator.Stores.PostgreSql.Tests;

namespace Orchestrator.Orleans.Tests.PostgreSql;

/// <summary>
/// A schema of its own on the real PostgreSQL server (the one <c>ORCHESTRATOR_TEST_POSTGRES</c> names, which
/// <c>.ci/run</c> sets; else a throw-away server started here, as the PostgreSQL store's tests do), holding Orleans'
/// clustering and reminder tables and the runs' checkpoints; dropped afterwards.
/// </summary>
public sealed class OrleansDatabase : IAsyncDisposable
{
    public const string Variable = "ORCHESTRATOR_TEST_POSTGRES";

    private static readonly Lazy<(string? ConnectionString, string WhyNot)> s_server = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly NpgsqlDataSource _admin;

    private OrleansDatabase(NpgsqlDataSource admin, string schema, string connectionString)
    {
        _admin = admin;
        Schema = schema;
        ConnectionString = connectionString;
        Runs = NpgsqlDataSource.Create(connectionString);
    }

    public string Schema { get; }

    /// <summary>The connection string Orleans uses: the test's schema first on the search path.</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource Runs { get; }

    public PostgreSqlCheckpointStore CheckpointStore() => new(Runs, new PostgreSqlCheckpointStoreOptions { Schema = Schema });

    /// <summary>A fresh schema with Orleans' tables, or a skip (which fails CI) saying how to get a server.</summary>
    public static async Task<OrleansDatabase> CreateAsync()
    {
        if (s_server.Value.ConnectionString is not { } server)
        {
            throw new SkipException($"No PostgreSQL server for the Orleans tests: {s_server.Value.WhyNot}. Install PostgreSQL (the tests then start a throw-away server), set {Variable}, or run .ci/run.");
        }

        var admin = NpgsqlDataSource.Create(server);
        var schema = "orleans_" + Guid.NewGuid().ToString("N");
        await using var stream = typeof(OrleansDatabase).Assembly.GetManifestResourceStream("orleans-tables.sql")!;
        using var reader = new StreamReader(stream);
        var script = await reader.ReadToEndAsync();
        await using (var connection = await admin.OpenConnectionAsync())
        {
            await using var create = new NpgsqlCommand($"CREATE SCHEMA \"{schema}\"; SET search_path TO \"{schema}\";", connection);
            await create.ExecuteNonQueryAsync();
            await using var tables = new NpgsqlCommand(script, connection);
            await tables.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema };
        return new OrleansDatabase(admin, schema, builder.ConnectionString);
    }

    private static (string?, string) Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return (configured, string.Empty);
        }

        var server = ThrowAwayServer.TryStart(out var whyNot);
        return (server?.ConnectionString, $"{Variable} is not set and {whyNot}");
    }

    public async ValueTask DisposeAsync()
    {
        await Runs.DisposeAsync();
        await using (var command = _admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE"))
        {
            await command.ExecuteNonQueryAsync();
        }

        await _admin.DisposeAsync();
    }
}
