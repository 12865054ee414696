using Orchestrator.Stores.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Checkpoints the orchestrator's runs in a SQLite file.</summary>
public static class SqliteCheckpointBuilderExtensions
{
    /// <summary>Checkpoints runs in the SQLite database <paramref name="connectionString"/> names (created on first use).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="connectionString">Such as <c>Data Source=orchestrator.db</c>.</param>
    /// <param name="synchronous">How durable each commit is.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddSqliteCheckpointStore(this IOrchestratorBuilder builder, string connectionString, SqliteSynchronousMode synchronous = SqliteSynchronousMode.Normal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var store = new SqliteCheckpointStore(new SqliteCheckpointStoreOptions { ConnectionString = connectionString, Synchronous = synchronous });
        return builder.AddCheckpointStore(_ => store);
    }
}
