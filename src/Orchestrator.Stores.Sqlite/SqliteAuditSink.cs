using System.Globalization;
using Microsoft.Data.Sqlite;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.Sqlite;

/// <summary>
/// Writes the audit trail to a SQLite file (table <c>orchestrator_audit_events</c>, created on first use; the file may
/// be the checkpoint store's). Each batch is one transaction; the kind and severity are stored by their wire names,
/// the details as JSON text (null when there are none). <see cref="ReadAsync"/> reads a run's events back.
/// </summary>
public sealed class SqliteAuditSink : IAuditSink, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS orchestrator_audit_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            execution_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            kind TEXT NOT NULL,
            severity TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            workflow_id TEXT NULL,
            agent_id TEXT NULL,
            user_id TEXT NULL,
            step_id TEXT NULL,
            message TEXT NOT NULL,
            details TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_orchestrator_audit_events_execution ON orchestrator_audit_events (execution_id, sequence);
        """;

    private readonly SqliteDatabase _database;

    /// <summary>Creates a sink writing to the SQLite database <paramref name="connectionString"/> names.</summary>
    /// <param name="connectionString">Such as <c>Data Source=orchestrator.db</c>. The file and its table are created on first use.</param>
    /// <param name="synchronous">How durable each commit is.</param>
    public SqliteAuditSink(string connectionString, SqliteSynchronousMode synchronous = SqliteSynchronousMode.Normal) =>
        _database = new SqliteDatabase(connectionString, synchronous, Schema);

    /// <summary>Creates a sink writing to the SQLite file at <paramref name="path"/>.</summary>
    /// <param name="path">The file; created when missing.</param>
    /// <returns>The sink.</returns>
    public static SqliteAuditSink ForFile(string path) => new(SqliteDatabase.FileConnectionString(path));

    /// <inheritdoc />
    public async ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var details = new string?[events.Count];
        for (var i = 0; i < details.Length; i++)
        {
            details[i] = CheckpointJson.WriteOptionalValue(events[i].Details); // Before the lock: the lock covers only the write.
        }

        await _database.WriteAsync(
            (connection, transaction) =>
            {
                using var insert = SqliteDatabase.Command(connection, transaction, """
                    INSERT INTO orchestrator_audit_events (execution_id, sequence, kind, severity, timestamp, workflow_id, agent_id, user_id, step_id, message, details)
                    VALUES ($execution, $sequence, $kind, $severity, $timestamp, $workflow, $agent, $user, $step, $message, $details)
                    """);
                var execution = insert.Parameters.Add("$execution", SqliteType.Text);
                var sequence = insert.Parameters.Add("$sequence", SqliteType.Integer);
                var kind = insert.Parameters.Add("$kind", SqliteType.Text);
                var severity = insert.Parameters.Add("$severity", SqliteType.Text);
                var timestamp = insert.Parameters.Add("$timestamp", SqliteType.Integer);
                var workflow = insert.Parameters.Add("$workflow", SqliteType.Text);
                var agent = insert.Parameters.Add("$agent", SqliteType.Text);
                var user = insert.Parameters.Add("$user", SqliteType.Text);
                var step = insert.Parameters.Add("$step", SqliteType.Text);
                var message = insert.Parameters.Add("$message", SqliteType.Text);
                var json = insert.Parameters.Add("$details", SqliteType.Text);
                insert.Prepare();
                for (var i = 0; i < events.Count; i++)
                {
                    var e = events[i];
                    execution.Value = e.ExecutionId;
                    sequence.Value = e.Sequence;
                    kind.Value = e.Kind.Name;
                    severity.Value = e.Severity.Name;
                    timestamp.Value = e.Timestamp.UtcTicks;
                    workflow.Value = (object?)e.WorkflowId ?? DBNull.Value;
                    agent.Value = (object?)e.AgentId ?? DBNull.Value;
                    user.Value = (object?)e.UserId ?? DBNull.Value;
                    step.Value = (object?)e.StepId ?? DBNull.Value;
                    message.Value = e.Message;
                    json.Value = (object?)details[i] ?? DBNull.Value;
                    insert.ExecuteNonQuery();
                }

                return events.Count;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored events of one run, in sequence order (then in the order they were written).</summary>
    /// <param name="executionId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run's events; empty when none are stored.</returns>
    /// <exception cref="InvalidDataException">A stored kind or severity is not one this version knows.</exception>
    public async ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(connection, null, """
            SELECT id, sequence, kind, severity, timestamp, workflow_id, agent_id, user_id, step_id, message, details
            FROM orchestrator_audit_events WHERE execution_id = $execution ORDER BY sequence, id
            """);
        command.Parameters.AddWithValue("$execution", executionId);
        var events = new List<AuditEvent>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var kindName = reader.GetString(2);
            var severityName = reader.GetString(3);
            events.Add(new AuditEvent
            {
                ExecutionId = executionId,
                Sequence = reader.GetInt64(1),
                Kind = AuditEventKind.TryParse(kindName, out var kind)
                    ? kind
                    : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Audit event {id} of run '{executionId}' has the kind '{kindName}', which is not a known AuditEventKind.")),
                Severity = AuditSeverity.TryParse(severityName, out var severity)
                    ? severity
                    : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Audit event {id} of run '{executionId}' has the severity '{severityName}', which is not info, warning or critical.")),
                Timestamp = new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                WorkflowId = reader.IsDBNull(5) ? null : reader.GetString(5),
                AgentId = reader.IsDBNull(6) ? null : reader.GetString(6),
                UserId = reader.IsDBNull(7) ? null : reader.GetString(7),
                StepId = reader.IsDBNull(8) ? null : reader.GetString(8),
                Message = reader.GetString(9),
                Details = CheckpointJson.ReadOptionalValue(reader.IsDBNull(10) ? null : reader.GetString(10)),
            });
        }

        return events;
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();
}
