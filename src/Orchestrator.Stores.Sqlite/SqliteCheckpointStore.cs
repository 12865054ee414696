using System.Globalization;
using Microsoft.Data.Sqlite;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.Sqlite;

/// <summary>
/// Checkpoints runs in a SQLite file: the embedded durable store for one host. The tables are created on first use, the
/// file runs in WAL mode, and each call is one transaction (a batch of step records is stored whole or not at all).
/// Writes of the process are serialised, so concurrent runs share the file safely; reads run beside them.
/// </summary>
public sealed class SqliteCheckpointStore : ICheckpointStore, ICheckpointRunQuery, IDisposable
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over the SQLite file the connection string names.</summary>
    /// <param name="options">The connection string and durability.</param>
    public SqliteCheckpointStore(SqliteCheckpointStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Connections, pragmas, the schema and the write gate shared with the memory store and audit sink of the same file.
        _database = new SqliteDatabase(options.ConnectionString, options.Synchronous, Schema);
    }

    /// <summary>Creates a store over the SQLite file at <paramref name="path"/>.</summary>
    /// <param name="path">The file; created when missing.</param>
    /// <returns>The store.</returns>
    public static SqliteCheckpointStore ForFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new SqliteCheckpointStore(new SqliteCheckpointStoreOptions { ConnectionString = SqliteDatabase.FileConnectionString(path) });
    }

    /// <inheritdoc />
    public async ValueTask CreateRunAsync(RunCheckpoint run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var inserted = await _database.WriteAsync(
            (connection, transaction) =>
            {
                using var command = SqliteDatabase.Command(connection, transaction, """
                    INSERT INTO orchestrator_runs (execution_id, workflow_id, definition_json, definition_hash, inputs, user_id, agent_id, created_at, status, outcome, updated_at)
                    VALUES ($id, $workflow, $json, $hash, $inputs, $user, $agent, $created, 0, NULL, $created)
                    ON CONFLICT (execution_id) DO NOTHING
                    """);
                command.Parameters.AddWithValue("$id", run.ExecutionId);
                command.Parameters.AddWithValue("$workflow", (object?)run.WorkflowId ?? DBNull.Value);
                command.Parameters.AddWithValue("$json", run.DefinitionJson);
                command.Parameters.AddWithValue("$hash", run.DefinitionHash);
                command.Parameters.AddWithValue("$inputs", CheckpointJson.WriteValue(run.Inputs));
                command.Parameters.AddWithValue("$user", run.UserId);
                command.Parameters.AddWithValue("$agent", (object?)run.AgentId ?? DBNull.Value);
                command.Parameters.AddWithValue("$created", run.CreatedAt.UtcTicks);
                return command.ExecuteNonQuery();
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
        var records = new string[steps.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = CheckpointJson.Serialize(steps[i]); // Serialised before the lock: the lock covers only the write.
        }

        await _database.WriteAsync(
            (connection, transaction) =>
            {
                long next;
                using (var last = SqliteDatabase.Command(connection, transaction, "SELECT (SELECT COUNT(*) FROM orchestrator_runs WHERE execution_id = $id), (SELECT COALESCE(MAX(seq), 0) FROM orchestrator_steps WHERE execution_id = $id)"))
                {
                    last.Parameters.AddWithValue("$id", executionId);
                    using var reader = last.ExecuteReader();
                    reader.Read();
                    if (reader.GetInt64(0) == 0)
                    {
                        throw new InvalidOperationException($"No run with the id '{executionId}' is stored.");
                    }

                    next = reader.GetInt64(1);
                }

                using var insert = SqliteDatabase.Command(connection, transaction, "INSERT INTO orchestrator_steps (execution_id, seq, step_id, record) VALUES ($id, $seq, $step, $record)");
                var id = insert.Parameters.AddWithValue("$id", executionId);
                var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
                var step = insert.Parameters.Add("$step", SqliteType.Text);
                var record = insert.Parameters.Add("$record", SqliteType.Text);
                insert.Prepare();
                for (var i = 0; i < records.Length; i++)
                {
                    seq.Value = ++next;
                    step.Value = steps[i].StepId;
                    record.Value = records[i];
                    insert.ExecuteNonQuery();
                }

                return records.Length;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask SetStatusAsync(string executionId, CheckpointStatus status, ExecutionStatus? outcome, DateTimeOffset updatedAt, CancellationToken cancellationToken = default) =>
        UpdateRunAsync(
            executionId,
            "UPDATE orchestrator_runs SET status = $status, outcome = $outcome, updated_at = $updated WHERE execution_id = $id",
            parameters =>
            {
                parameters.AddWithValue("$status", (int)status);
                parameters.AddWithValue("$outcome", status == CheckpointStatus.Finished && outcome is { } o ? (int)o : DBNull.Value);
                parameters.AddWithValue("$updated", updatedAt.UtcTicks);
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask UpdateDefinitionAsync(string executionId, string definitionJson, string definitionHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        ArgumentNullException.ThrowIfNull(definitionHash);
        return UpdateRunAsync(
            executionId,
            "UPDATE orchestrator_runs SET definition_json = $json, definition_hash = $hash WHERE execution_id = $id",
            parameters =>
            {
                parameters.AddWithValue("$json", definitionJson);
                parameters.AddWithValue("$hash", definitionHash);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask AddApprovalDecisionAsync(StoredApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var d = decision.Decision;
        await _database.WriteAsync(
            (connection, transaction) =>
            {
                using var command = SqliteDatabase.Command(connection, transaction, """
                    INSERT INTO orchestrator_approvals (execution_id, step_id, approver, approved, comment, decided_at)
                    SELECT $id, $step, $approver, $approved, $comment, $at WHERE EXISTS (SELECT 1 FROM orchestrator_runs WHERE execution_id = $id)
                    ON CONFLICT (execution_id, step_id, approver) DO UPDATE SET approved = excluded.approved, comment = excluded.comment, decided_at = excluded.decided_at
                    """);
                command.Parameters.AddWithValue("$id", d.ExecutionId);
                command.Parameters.AddWithValue("$step", d.StepId);
                command.Parameters.AddWithValue("$approver", d.Approver);
                command.Parameters.AddWithValue("$approved", d.Approved ? 1 : 0);
                command.Parameters.AddWithValue("$comment", (object?)d.Comment ?? DBNull.Value);
                command.Parameters.AddWithValue("$at", decision.DecidedAt.UtcTicks);
                return command.ExecuteNonQuery() == 1 ? 1 : throw new InvalidOperationException($"No run with the id '{d.ExecutionId}' is stored.");
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoredRun?> LoadAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // One read transaction: the header, the records and the decisions are one consistent snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        RunCheckpoint run;
        CheckpointStatus status;
        ExecutionStatus? outcome;
        DateTimeOffset updatedAt;
        using (var command = SqliteDatabase.Command(connection, transaction, "SELECT workflow_id, definition_json, definition_hash, inputs, user_id, agent_id, created_at, status, outcome, updated_at FROM orchestrator_runs WHERE execution_id = $id"))
        {
            command.Parameters.AddWithValue("$id", executionId);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
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
                CreatedAt = Time(reader.GetInt64(6)),
            };
            status = (CheckpointStatus)reader.GetInt32(7);
            outcome = reader.IsDBNull(8) ? null : (ExecutionStatus)reader.GetInt32(8);
            updatedAt = Time(reader.GetInt64(9));
        }

        var steps = new List<StepCheckpoint>();
        using (var command = SqliteDatabase.Command(connection, transaction, "SELECT record FROM orchestrator_steps WHERE execution_id = $id ORDER BY seq"))
        {
            command.Parameters.AddWithValue("$id", executionId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                steps.Add(CheckpointJson.DeserializeStep(reader.GetString(0)));
            }
        }

        var decisions = new List<StoredApprovalDecision>();
        using (var command = SqliteDatabase.Command(connection, transaction, "SELECT step_id, approver, approved, comment, decided_at FROM orchestrator_approvals WHERE execution_id = $id ORDER BY decided_at, approver"))
        {
            command.Parameters.AddWithValue("$id", executionId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                decisions.Add(new StoredApprovalDecision(
                    new ApprovalDecision
                    {
                        ExecutionId = executionId,
                        StepId = reader.GetString(0),
                        Approver = reader.GetString(1),
                        Approved = reader.GetInt64(2) != 0,
                        Comment = reader.IsDBNull(3) ? null : reader.GetString(3),
                    },
                    Time(reader.GetInt64(4))));
            }
        }

        return new StoredRun { Run = run, Status = status, Outcome = outcome, UpdatedAt = updatedAt, Steps = steps, ApprovalDecisions = decisions };
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListRunsAsync(CheckpointStatus status, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(connection, null, "SELECT execution_id FROM orchestrator_runs WHERE status = $status ORDER BY created_at, execution_id LIMIT $limit");
        command.Parameters.AddWithValue("$status", (int)status);
        command.Parameters.AddWithValue("$limit", limit);
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListRecentRunsAsync(CheckpointStatus? status, string? agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(connection, null, "SELECT execution_id FROM orchestrator_runs WHERE ($status IS NULL OR status = $status) AND ($agent IS NULL OR agent_id = $agent) ORDER BY created_at DESC, execution_id LIMIT $limit");
        command.Parameters.AddWithValue("$status", status is { } value ? (object)(int)value : DBNull.Value);
        command.Parameters.AddWithValue("$agent", (object?)agentId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteExpiredAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(
            (connection, transaction) =>
            {
                const string Expired = "SELECT execution_id FROM orchestrator_runs WHERE status = 2 AND updated_at < $before";
                var removed = 0;
                foreach (var sql in new[]
                {
                    $"DELETE FROM orchestrator_steps WHERE execution_id IN ({Expired})",
                    $"DELETE FROM orchestrator_approvals WHERE execution_id IN ({Expired})",
                    "DELETE FROM orchestrator_runs WHERE status = 2 AND updated_at < $before",
                })
                {
                    using var command = SqliteDatabase.Command(connection, transaction, sql);
                    command.Parameters.AddWithValue("$before", finishedBefore.UtcTicks);
                    removed = command.ExecuteNonQuery();
                }

                return removed;
            },
            cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private async ValueTask UpdateRunAsync(string executionId, string sql, Action<SqliteParameterCollection> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        await _database.WriteAsync(
            (connection, transaction) =>
            {
                using var command = SqliteDatabase.Command(connection, transaction, sql);
                command.Parameters.AddWithValue("$id", executionId);
                parameters(command.Parameters);
                return command.ExecuteNonQuery() == 1 ? 1 : throw new InvalidOperationException($"No run with the id '{executionId}' is stored.");
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The checkpoint tables, created on first use (the file is put in WAL mode by <see cref="SqliteDatabase"/>).</summary>
    private const string Schema = """
                CREATE TABLE IF NOT EXISTS orchestrator_runs (
                    execution_id TEXT NOT NULL PRIMARY KEY,
                    workflow_id TEXT NULL,
                    definition_json TEXT NOT NULL,
                    definition_hash TEXT NOT NULL,
                    inputs TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    agent_id TEXT NULL,
                    created_at INTEGER NOT NULL,
                    status INTEGER NOT NULL,
                    outcome INTEGER NULL,
                    updated_at INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS ix_orchestrator_runs_status ON orchestrator_runs (status, updated_at);
                CREATE TABLE IF NOT EXISTS orchestrator_steps (
                    execution_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    step_id TEXT NOT NULL,
                    record TEXT NOT NULL,
                    PRIMARY KEY (execution_id, seq)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS orchestrator_approvals (
                    execution_id TEXT NOT NULL,
                    step_id TEXT NOT NULL,
                    approver TEXT NOT NULL,
                    approved INTEGER NOT NULL,
                    comment TEXT NULL,
                    decided_at INTEGER NOT NULL,
                    PRIMARY KEY (execution_id, step_id, approver)) WITHOUT ROWID;
        """;
}
