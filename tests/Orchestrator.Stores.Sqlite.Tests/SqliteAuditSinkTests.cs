using Microsoft.Data.Sqlite;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.Sqlite.Tests;

/// <summary>The shared audit sink behaviour against a SQLite file, plus reading back a row this version cannot name.</summary>
public class SqliteAuditSinkTests : AuditSinkBehaviourTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-sqlite-").FullName;
    private SqliteAuditSink? _sink;

    private string DatabasePath => Path.Combine(_directory, "audit.db");

    protected override ValueTask<IAuditSink?> CreateSinkAsync() => ValueTask.FromResult<IAuditSink?>(_sink = SqliteAuditSink.ForFile(DatabasePath));

    protected override ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(string executionId) => _sink!.ReadAsync(executionId);

    protected override ValueTask DisposeSinkAsync()
    {
        _sink?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("kind", "ORCHESTRATOR_SOMETHING_NEW")]
    [InlineData("severity", "fatal")]
    public async Task ReadAsync_StoredNameThisVersionDoesNotKnow_ThrowsNamingTheRow(string column, string value)
    {
        var id = NewId();
        await _sink!.WriteAsync([Event(id, 1)]);
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE orchestrator_audit_events SET {column} = $value WHERE execution_id = $id";
            command.Parameters.AddWithValue("$value", value);
            command.Parameters.AddWithValue("$id", id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await _sink.ReadAsync(id));

        Assert.Contains(id, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }
}
