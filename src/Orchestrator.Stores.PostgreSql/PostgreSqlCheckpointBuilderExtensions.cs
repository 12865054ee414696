using Npgsql;
using Orchestrator.Stores.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Checkpoints the orchestrator's runs in PostgreSQL.</summary>
public static class PostgreSqlCheckpointBuilderExtensions
{
    /// <summary>Checkpoints runs in the PostgreSQL database of <paramref name="dataSource"/> (tables created on first use).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="dataSource">The database (owned by the caller).</param>
    /// <param name="options">The schema, and this host's lease owner id to fence writes by lease.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddPostgreSqlCheckpointStore(this IOrchestratorBuilder builder, NpgsqlDataSource dataSource, PostgreSqlCheckpointStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var store = new PostgreSqlCheckpointStore(dataSource, options);
        return builder.AddCheckpointStore(_ => store);
    }
}
