using Npgsql;
using Orchestrator.Stores.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the orchestrator's memories and audit trail in PostgreSQL, or everything at once with its checkpoints.</summary>
public static class PostgreSqlStoresBuilderExtensions
{
    /// <summary>Keeps memories in the PostgreSQL database of <paramref name="dataSource"/> (tables created on first use).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="dataSource">The database (owned by the caller).</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddPostgreSqlMemoryStore(this IOrchestratorBuilder builder, NpgsqlDataSource dataSource, string schema = "orchestrator")
    {
        var store = new PostgreSqlMemoryStore(dataSource, schema);
        return builder.AddMemoryStore(_ => store);
    }

    /// <summary>Writes the audit trail to the PostgreSQL database of <paramref name="dataSource"/> (beside any other sink).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="dataSource">The database (owned by the caller).</param>
    /// <param name="schema">The schema of the table.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddPostgreSqlAuditSink(this IOrchestratorBuilder builder, NpgsqlDataSource dataSource, string schema = "orchestrator")
    {
        ArgumentNullException.ThrowIfNull(builder);
        var sink = new PostgreSqlAuditSink(dataSource, schema);
        builder.Services.AddSingleton(sink); // Resolvable by its type, so the host can read events back.
        return builder.AddAuditSink(_ => sink);
    }

    /// <summary>Keeps checkpoints, memories and the audit trail in one PostgreSQL database, in the schema of <paramref name="options"/>.</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="dataSource">The database (owned by the caller).</param>
    /// <param name="options">The schema, and this host's lease owner id to fence checkpoint writes by lease.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddPostgreSqlStores(this IOrchestratorBuilder builder, NpgsqlDataSource dataSource, PostgreSqlCheckpointStoreOptions? options = null)
    {
        options ??= new PostgreSqlCheckpointStoreOptions();
        return builder
            .AddPostgreSqlCheckpointStore(dataSource, options)
            .AddPostgreSqlMemoryStore(dataSource, options.Schema)
            .AddPostgreSqlAuditSink(dataSource, options.Schema);
    }
}
