using Orchestrator.Stores.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the orchestrator's memories and audit trail in a SQLite file, or everything at once with its checkpoints.</summary>
public static class SqliteStoresBuilderExtensions
{
    /// <summary>Keeps memories in the SQLite database <paramref name="connectionString"/> names (tables created on first use).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="connectionString">Such as <c>Data Source=orchestrator.db</c>.</param>
    /// <param name="synchronous">How durable each commit is.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddSqliteMemoryStore(this IOrchestratorBuilder builder, string connectionString, SqliteSynchronousMode synchronous = SqliteSynchronousMode.Normal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var store = new SqliteMemoryStore(connectionString, synchronous);
        return builder.AddMemoryStore(_ => store);
    }

    /// <summary>Writes the audit trail to the SQLite database <paramref name="connectionString"/> names (beside any other sink).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="connectionString">Such as <c>Data Source=orchestrator.db</c>.</param>
    /// <param name="synchronous">How durable each commit is.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddSqliteAuditSink(this IOrchestratorBuilder builder, string connectionString, SqliteSynchronousMode synchronous = SqliteSynchronousMode.Normal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(builder);
        var sink = new SqliteAuditSink(connectionString, synchronous);
        builder.Services.AddSingleton(sink); // Resolvable by its type, so the host can read events back.
        return builder.AddAuditSink(_ => sink);
    }

    /// <summary>Keeps checkpoints, memories and the audit trail in one SQLite database.</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="connectionString">Such as <c>Data Source=orchestrator.db</c>.</param>
    /// <param name="synchronous">How durable each commit is.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddSqliteStores(this IOrchestratorBuilder builder, string connectionString, SqliteSynchronousMode synchronous = SqliteSynchronousMode.Normal) =>
        builder
            .AddSqliteCheckpointStore(connectionString, synchronous)
            .AddSqliteMemoryStore(connectionString, synchronous)
            .AddSqliteAuditSink(connectionString, synchronous);
}
