using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary>The shared audit sink behaviour against a real PostgreSQL server, plus reading back a row this version cannot name.</summary>
public class PostgreSqlAuditSinkTests : AuditSinkBehaviourTests
{
    private TestDatabase? _database;
    private PostgreSqlAuditSink? _sink;

    protected override string? UnavailableReason => TestDatabase.SkipReason;

    protected override ValueTask<IAuditSink?> CreateSinkAsync()
    {
        _database = TestDatabase.TryCreate();
        _sink = _database is null ? null : new PostgreSqlAuditSink(_database.DataSource, _database.Schema);
        return ValueTask.FromResult<IAuditSink?>(_sink);
    }

    protected override ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(string executionId) => _sink!.ReadAsync(executionId);

    protected override async ValueTask DisposeSinkAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [SkippableTheory]
    [InlineData("kind", "ORCHESTRATOR_SOMETHING_NEW")]
    [InlineData("severity", "fatal")]
    public async Task ReadAsync_StoredNameThisVersionDoesNotKnow_ThrowsNamingTheRow(string column, string value)
    {
        Skip.If(_sink is null, TestDatabase.SkipReason);
        var id = NewId();
        await _sink.WriteAsync([Event(id, 1)]);
        await using (var command = _database!.DataSource.CreateCommand($"UPDATE \"{_database.Schema}\".audit_events SET {column} = @value WHERE execution_id = @id"))
        {
            command.Parameters.AddWithValue("value", value);
            command.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await _sink.ReadAsync(id));

        Assert.Contains(id, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }
}
