using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.PostgreSql;

/// <summary>
/// Writes the audit trail to PostgreSQL (table <c>audit_events</c> of the store's schema, created on first use with the
/// checkpoint tables). Each batch is one multi-row insert (one round trip, stored whole or not at all); the kind and
/// severity are stored by their wire names, the details as <c>jsonb</c> (null when there are none).
/// <see cref="ReadAsync"/> reads a run's events back.
/// </summary>
public sealed class PostgreSqlAuditSink : IAuditSink
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlSchema _schema;

    /// <summary>Creates a sink writing to <paramref name="dataSource"/> (owned by the caller).</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The schema of the table (the checkpoint store's, by default).</param>
    public PostgreSqlAuditSink(NpgsqlDataSource dataSource, string schema = "orchestrator")
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schema);
        _dataSource = dataSource;
        _schema = new PostgreSqlSchema(schema);
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var count = events.Count;
        var executions = new string[count];
        var sequences = new long[count];
        var kinds = new string[count];
        var severities = new string[count];
        var timestamps = new DateTimeOffset[count];
        var workflows = new string?[count];
        var agents = new string?[count];
        var users = new string?[count];
        var steps = new string?[count];
        var messages = new string[count];
        var details = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var e = events[i];
            executions[i] = e.ExecutionId;
            sequences[i] = e.Sequence;
            kinds[i] = e.Kind.Name;
            severities[i] = e.Severity.Name;
            timestamps[i] = e.Timestamp.ToUniversalTime();
            workflows[i] = e.WorkflowId;
            agents[i] = e.AgentId;
            users[i] = e.UserId;
            steps[i] = e.StepId;
            messages[i] = e.Message;
            details[i] = CheckpointJson.WriteOptionalValue(e.Details);
        }

        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"""
            INSERT INTO {_schema.AuditEvents} (execution_id, sequence, kind, severity, timestamp, workflow_id, agent_id, user_id, step_id, message, details)
            SELECT e.execution_id, e.sequence, e.kind, e.severity, e.timestamp, e.workflow_id, e.agent_id, e.user_id, e.step_id, e.message, e.details::jsonb
            FROM unnest(@executions, @sequences, @kinds, @severities, @timestamps, @workflows, @agents, @users, @steps, @messages, @details)
                WITH ORDINALITY AS e(execution_id, sequence, kind, severity, timestamp, workflow_id, agent_id, user_id, step_id, message, details, ordinality)
            ORDER BY e.ordinality
            """);
        command.Parameters.AddWithValue("executions", NpgsqlDbType.Array | NpgsqlDbType.Text, executions);
        command.Parameters.AddWithValue("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint, sequences);
        command.Parameters.AddWithValue("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text, kinds);
        command.Parameters.AddWithValue("severities", NpgsqlDbType.Array | NpgsqlDbType.Text, severities);
        command.Parameters.AddWithValue("timestamps", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, timestamps);
        command.Parameters.AddWithValue("workflows", NpgsqlDbType.Array | NpgsqlDbType.Text, workflows);
        command.Parameters.AddWithValue("agents", NpgsqlDbType.Array | NpgsqlDbType.Text, agents);
        command.Parameters.AddWithValue("users", NpgsqlDbType.Array | NpgsqlDbType.Text, users);
        command.Parameters.AddWithValue("steps", NpgsqlDbType.Array | NpgsqlDbType.Text, steps);
        command.Parameters.AddWithValue("messages", NpgsqlDbType.Array | NpgsqlDbType.Text, messages);
        command.Parameters.AddWithValue("details", NpgsqlDbType.Array | NpgsqlDbType.Text, details);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored events of one run, in sequence order (then in the order they were written).</summary>
    /// <param name="executionId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run's events; empty when none are stored.</returns>
    /// <exception cref="InvalidDataException">A stored kind or severity is not one this version knows.</exception>
    public async ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"""
            SELECT id, sequence, kind, severity, timestamp, workflow_id, agent_id, user_id, step_id, message, details::text
            FROM {_schema.AuditEvents} WHERE execution_id = @execution ORDER BY sequence, id
            """);
        command.Parameters.AddWithValue("execution", executionId);
        var events = new List<AuditEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
                Timestamp = reader.GetFieldValue<DateTimeOffset>(4),
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
}
