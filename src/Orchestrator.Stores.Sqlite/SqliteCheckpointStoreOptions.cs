namespace Orchestrator.Stores.Sqlite;

/// <summary>Where and how the SQLite checkpoint store writes.</summary>
public sealed record SqliteCheckpointStoreOptions
{
    /// <summary>The connection string, such as <c>Data Source=orchestrator.db</c>. The file and its tables are created on first use.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>How durable each commit is; <see cref="SqliteSynchronousMode.Normal"/> by default.</summary>
    public SqliteSynchronousMode Synchronous { get; init; } = SqliteSynchronousMode.Normal;
}
