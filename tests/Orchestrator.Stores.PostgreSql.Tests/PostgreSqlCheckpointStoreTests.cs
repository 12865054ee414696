using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary>The shared store behaviour against a real PostgreSQL server.</summary>
public class PostgreSqlCheckpointStoreTests : CheckpointStoreBehaviourTests
{
    private TestDatabase? _database;

    protected override string? UnavailableReason => TestDatabase.SkipReason;

    protected override ValueTask<ICheckpointStore?> CreateStoreAsync()
    {
        _database = TestDatabase.TryCreate();
        return ValueTask.FromResult<ICheckpointStore?>(_database?.Store());
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
