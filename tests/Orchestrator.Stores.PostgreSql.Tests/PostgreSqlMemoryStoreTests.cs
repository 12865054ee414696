using Npgsql;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary>
/// The shared memory store behaviour against a real PostgreSQL server; the second store has a data source of its own
/// (its own connection pool), as a second host would.
/// </summary>
public class PostgreSqlMemoryStoreTests : SharedMemoryStoreBehaviourTests
{
    private TestDatabase? _database;
    private NpgsqlDataSource? _secondHost;

    protected override string? UnavailableReason => TestDatabase.SkipReason;

    protected override ValueTask<IMemoryStore?> CreateStoreAsync()
    {
        _database = TestDatabase.TryCreate();
        return ValueTask.FromResult<IMemoryStore?>(_database is null ? null : new PostgreSqlMemoryStore(_database.DataSource, _database.Schema));
    }

    protected override ValueTask<IMemoryStore> CreateSecondStoreAsync()
    {
        _secondHost = NpgsqlDataSource.Create(TestDatabase.ConnectionString!);
        return ValueTask.FromResult<IMemoryStore>(new PostgreSqlMemoryStore(_secondHost, _database!.Schema));
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        if (_secondHost is not null)
        {
            await _secondHost.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
