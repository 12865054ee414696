using Orchestrator.Core.Memory;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.Sqlite.Tests;

/// <summary>The shared memory store behaviour against a SQLite file; the second store is another store object on the same file, as another process would open it.</summary>
public class SqliteMemoryStoreTests : MemoryStoreBehaviourTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-sqlite-").FullName;
    private readonly List<SqliteMemoryStore> _stores = [];

    private string DatabasePath => Path.Combine(_directory, "memories.db");

    protected override ValueTask<IMemoryStore?> CreateStoreAsync() => ValueTask.FromResult<IMemoryStore?>(Open());

    protected override ValueTask<IMemoryStore?> CreateSecondStoreAsync() => ValueTask.FromResult<IMemoryStore?>(Open());

    protected override ValueTask DisposeStoreAsync()
    {
        _stores.ForEach(s => s.Dispose());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private SqliteMemoryStore Open()
    {
        var store = SqliteMemoryStore.ForFile(DatabasePath);
        _stores.Add(store);
        return store;
    }
}
