using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.Sqlite.Tests;

/// <summary>
/// The shared memory store behaviour against a SQLite file. The second store opens the same file through another
/// connection string, so it does not share the process's write gate with the first: the two take turns only by
/// SQLite's own lock, as two processes would.
/// </summary>
public class SqliteMemoryStoreTests : SharedMemoryStoreBehaviourTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-sqlite-").FullName;
    private readonly List<SqliteMemoryStore> _stores = [];

    private string DatabasePath => Path.Combine(_directory, "memories.db");

    protected override ValueTask<IMemoryStore?> CreateStoreAsync() => ValueTask.FromResult<IMemoryStore?>(Open(SqliteMemoryStore.ForFile(DatabasePath)));

    protected override ValueTask<IMemoryStore> CreateSecondStoreAsync() =>
        ValueTask.FromResult<IMemoryStore>(Open(new SqliteMemoryStore($"Data Source={DatabasePath};Default Timeout=31")));

    protected override ValueTask DisposeStoreAsync()
    {
        _stores.ForEach(s => s.Dispose());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private SqliteMemoryStore Open(SqliteMemoryStore store)
    {
        _stores.Add(store);
        return store;
    }
}
