using Npgsql;
using NpgsqlTypes;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.PostgreSql;

/// <summary>
/// Checkpoints runs in PostgreSQL, for hosts that share one database. Tables are created on first use; each call is one
/// transaction, and a batch of step records is one round trip. With <see cref="PostgreSqlCheckpointStoreOptions.LeaseOwner"/>
/// set, writes to a run are fenced by its lease: only the host that owns the run can change it.
/// </summary>
public sealed class PostgreSqlCheckpointStore : ICheckpointStore, ICheckpointRunQuery
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlSchema _schema;
    private readonly string? _owner;

    /// <summary>Creates a store over <paramref name="dataSource"/> (owned by the caller).</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">The schema and the lease owner; defaults when null.</param>
    public PostgreSqlCheckpointStore(NpgsqlDataSource dataSource, PostgreSqlCheckpointStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options ??= new PostgreSqlCheckpointStoreOptions();
        _dataSource = dataSource;
        _schema = new PostgreSqlSchema(options.Schema);
        _owner = options.LeaseOwner;
    }

    /// <inheritdoc />
    public async ValueTask CreateRunAsync(RunCheckpoint run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var inserted = await WriteAsync(
            run.ExecutionId,
            $"""
            INSERT INTO {_schema.Runs} (execution_id, workflow_id, definition_json, definition_hash, inputs, user_id, agent_id, created_at, status, outcome, updated_at)
            VALUES (@id, @workflow, @json, @hash, @inputs, @user, @agent, @created, 0, NULL, @created)
            ON CONFLICT (execution_id) DO NOTHING
            """,
            parameters =>
            {
                parameters.AddWithValue("workflow", NpgsqlDbType.Text, (object?)run.WorkflowId ?? DBNull.Value);
                parameters.AddWithValue("json", run.DefinitionJson);
                parameters.AddWithValue("hash", run.DefinitionHash);
                parameters.AddWithValue("inputs", CheckpointJson.WriteValue(run.Inputs));
                parameters.AddWithValue("user", run.UserId);
                parameters.AddWithValue("agent", NpgsqlDbType.Text, (object?)run.AgentId ?? DBNull.Value);
                parameters.AddWithValue("created", run.CreatedAt.ToUniversalTime());
            },
            cancellationToken).ConfigureAwait(false);
        if (inserted == 0)
        {
            throw new InvalidOperationException($"A run with the id '{run.ExecutionId}' is already stored.");
        }
    }

    /// <inheritdoc />
    public async ValueTask AppendStepsAsync(string executionId, IReadOnlyList<StepCheckpoint> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(steps);
        var ids = new string[steps.Count];
        var records = new string[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            ids[i] = steps[i].StepId;
            records[i] = CheckpointJson.Serialize(steps[i]);
        }

        // One statement: lock the run's row (appends to one run take turns), number the records after the last one.
        var inserted = await WriteAsync(
            executionId,
            $"""
            WITH run AS (SELECT execution_id FROM {_schema.Runs} WHERE execution_id = @id FOR UPDATE),
                 last AS (SELECT COALESCE(MAX(seq), 0) AS seq FROM {_schema.Steps} WHERE execution_id = @id)
            INSERT INTO {_schema.Steps} (execution_id, seq, step_id, record)
            SELECT run.execution_id, last.seq + s.ordinality, s.step_id, s.record
            FROM run, last, unnest(@steps, @records) WITH ORDINALITY AS s(step_id, record, ordinality)
            """,
            parameters =>
            {
                parameters.AddWithValue("steps", ids);
                parameters.AddWithValue("records", records);
            },
            cancellationToken).ConfigureAwait(false);
        if (inserted != steps.Count)
        {
            throw new InvalidOperationException($"No run with the id '{executionId}' is stored.");
        }
    }

    /// <inheritdoc />
    public async ValueTask SetStatusAsync(string executionId, CheckpointStatus status, ExecutionStatus? outcome, DateTimeOffset updatedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        var updated = await WriteAsync(
            executionId,
            $"UPDATE {_schema.Runs} SET status = @status, outcome = @outcome, updated_at = @updated WHERE execution_id = @id",
            parameters =>
            {
                parameters.AddWithValue("status", (short)status);
                parameters.AddWithValue("outcome", NpgsqlDbType.Smallint, status == CheckpointStatus.Finished && outcome is { } o ? (short)o : DBNull.Value);
                parameters.AddWithValue("updated", updatedAt.ToUniversalTime());
            },
            cancellationToken).ConfigureAwait(false);
        ThrowIfMissing(updated, executionId);
    }

    /// <inheritdoc />
    public async ValueTask UpdateDefinitionAsync(string executionId, string definitionJson, string definitionHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(definitionJson);
        ArgumentNullException.ThrowIfNull(definitionHash);
        var updated = await WriteAsync(
            executionId,
            $"UPDATE {_schema.Runs} SET definition_json = @json, definition_hash = @hash WHERE execution_id = @id",
            parameters =>
            {
                parameters.AddWithValue("json", definitionJson);
                parameters.AddWithValue("hash", definitionHash);
            },
            cancellationToken).ConfigureAwait(false);
        ThrowIfMissing(updated, executionId);
    }

    /// <inheritdoc />
    public async ValueTask AddApprovalDecisionAsync(StoredApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var d = decision.Decision;
        var written = await WriteAsync(
            d.ExecutionId,
            $"""
            INSERT INTO {_schema.Approvals} (execution_id, step_id, approver, approved, comment, decided_at)
            SELECT @id, @step, @approver, @approved, @comment, @at WHERE EXISTS (SELECT 1 FROM {_schema.Runs} WHERE execution_id = @id)
            ON CONFLICT (execution_id, step_id, approver) DO UPDATE SET approved = excluded.approved, comment = excluded.comment, decided_at = excluded.decided_at
            """,
            parameters =>
            {
                parameters.AddWithValue("step", d.StepId);
                parameters.AddWithValue("approver", d.Approver);
                parameters.AddWithValue("approved", d.Approved);
                parameters.AddWithValue("comment", NpgsqlDbType.Text, (object?)d.Comment ?? DBNull.Value);
                parameters.AddWithValue("at", decision.DecidedAt.ToUniversalTime());
            },
            cancellationToken,
            fenced: false).ConfigureAwait(false);
        ThrowIfMissing(written, d.ExecutionId);
    }

    /// <inheritdoc />
    public async ValueTask<StoredRun?> LoadAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for the header, the records and the decisions.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        RunCheckpoint run;
        CheckpointStatus status;
        ExecutionStatus? outcome;
        DateTimeOffset updatedAt;
        await using (var command = new NpgsqlCommand($"SELECT workflow_id, definition_json, definition_hash, inputs, user_id, agent_id, created_at, status, outcome, updated_at FROM {_schema.Runs} WHERE execution_id = @id", connection, transaction))
        {
            command.Parameters.AddWithValue("id", executionId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            run = new RunCheckpoint
            {
                ExecutionId = executionId,
                WorkflowId = reader.IsDBNull(0) ? null : reader.GetString(0),
                DefinitionJson = reader.GetString(1),
                DefinitionHash = reader.GetString(2),
                Inputs = CheckpointJson.ParseValue(reader.GetString(3)),
                UserId = reader.GetString(4),
                AgentId = reader.IsDBNull(5) ? null : reader.GetString(5),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
            };
            status = (CheckpointStatus)reader.GetInt16(7);
            outcome = reader.IsDBNull(8) ? null : (ExecutionStatus)reader.GetInt16(8);
            updatedAt = reader.GetFieldValue<DateTimeOffset>(9);
        }

        var steps = new List<StepCheckpoint>();
        await using (var command = new NpgsqlCommand($"SELECT record FROM {_schema.Steps} WHERE execution_id = @id ORDER BY seq", connection, transaction))
        {
            command.Parameters.AddWithValue("id", executionId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                steps.Add(CheckpointJson.DeserializeStep(reader.GetString(0)));
            }
        }

        var decisions = new List<StoredApprovalDecision>();
        await using (var command = new NpgsqlCommand($"SELECT step_id, approver, approved, comment, decided_at FROM {_schema.Approvals} WHERE execution_id = @id ORDER BY decided_at, approver", connection, transaction))
        {
            command.Parameters.AddWithValue("id", executionId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                decisions.Add(new StoredApprovalDecision(
                    new ApprovalDecision
                    {
                        ExecutionId = executionId,
                        StepId = reader.GetString(0),
                        Approver = reader.GetString(1),
                        Approved = reader.GetBoolean(2),
                        Comment = reader.IsDBNull(3) ? null : reader.GetString(3),
                    },
                    reader.GetFieldValue<DateTimeOffset>(4)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoredRun { Run = run, Status = status, Outcome = outcome, UpdatedAt = updatedAt, Steps = steps, ApprovalDecisions = decisions };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListRunsAsync(CheckpointStatus status, int limit, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"SELECT execution_id FROM {_schema.Runs} WHERE status = @status ORDER BY created_at, execution_id LIMIT @limit");
        command.Parameters.AddWithValue("status", (short)status);
        command.Parameters.AddWithValue("limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListRecentRunsAsync(CheckpointStatus? status, string? agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"SELECT execution_id FROM {_schema.Runs} WHERE (@status::smallint IS NULL OR status = @status::smallint) AND (@agent::text IS NULL OR agent_id = @agent::text) ORDER BY created_at DESC, execution_id LIMIT @limit");
        command.Parameters.AddWithValue("status", status is { } value ? (object)(short)value : DBNull.Value);
        command.Parameters.AddWithValue("agent", (object?)agentId ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <inheritdoc />
    public async ValueTask<int> DeleteExpiredAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);

        // Records and decisions go with their run (ON DELETE CASCADE); leases of finished runs are released already.
        await using var command = _dataSource.CreateCommand($"DELETE FROM {_schema.Runs} WHERE status = @finished AND updated_at < @before");
        command.Parameters.AddWithValue("finished", (short)CheckpointStatus.Finished);
        command.Parameters.AddWithValue("before", finishedBefore.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void ThrowIfMissing(int rows, string executionId)
    {
        if (rows == 0)
        {
            throw new InvalidOperationException($"No run with the id '{executionId}' is stored.");
        }
    }

    /// <summary>
    /// Runs one write in a transaction. When fenced (and the store has a lease owner), the run's lease row is locked
    /// first and must name this owner, so a write from a host that lost the run cannot land after the new owner's.
    /// </summary>
    private async ValueTask<int> WriteAsync(string executionId, string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken, bool fenced = true)
    {
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (fenced && _owner is not null)
        {
            await using var fence = new NpgsqlCommand($"SELECT owner FROM {_schema.Leases} WHERE execution_id = @id FOR SHARE", connection, transaction);
            fence.Parameters.AddWithValue("id", executionId);
            var owner = await fence.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            if (!string.Equals(owner, _owner, StringComparison.Ordinal))
            {
                throw new LeaseLostException(executionId, _owner, owner);
            }
        }

        int rows;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.AddWithValue("id", executionId);
            parameters(command.Parameters);
            rows = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }
}
