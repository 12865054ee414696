using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Stores.Sqlite;

/// <summary>
/// One SQLite file as the memory store and the audit sink use it: connections with the durability pragmas, tables
/// created on first use (WAL), and write transactions that take turns with every other store of the file in the
/// process (<see cref="SqliteWriteGate"/>) and start with <c>BEGIN IMMEDIATE</c>, so a read-then-write inside one is
/// atomic against every other writer of the file, in this process or another.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _writeLock;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly string _schema;
    private volatile bool _schemaReady;

    public SqliteDatabase(string connectionString, SqliteSynchronousMode synchronous, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = true }.ToString();
        _writeLock = SqliteWriteGate.For(_connectionString);
        _synchronous = synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL";
        _schema = schema;
    }

    public static string FileConnectionString(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new SqliteConnectionStringBuilder { DataSource = path }.ToString();
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Every statement is a constant of this package; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    /// <summary>Runs one write transaction (<c>BEGIN IMMEDIATE</c>); the process's writes take turns, so none polls SQLite's busy lock.</summary>
    public async ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = write(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using (var pragma = Command(connection, null, string.Create(CultureInfo.InvariantCulture, $"PRAGMA synchronous = {_synchronous}; PRAGMA busy_timeout = 30000;")))
            {
                pragma.ExecuteNonQuery();
            }

            if (!_schemaReady)
            {
                await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Dispose() => _schemaLock.Dispose(); // The write lock is the process's, shared by every store of the file.

    private async ValueTask EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _schemaLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            using var command = Command(connection, null, "PRAGMA journal_mode = WAL;\n" + _schema);
            command.ExecuteNonQuery();
            _schemaReady = true;
        }
        finally
        {
            _schemaLock.Release();
        }
    }
}
