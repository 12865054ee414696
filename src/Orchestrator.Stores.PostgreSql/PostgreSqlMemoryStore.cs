using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.PostgreSql;

/// <summary>
/// Keeps memories in PostgreSQL (tables <c>run_memories</c> and <c>user_memories</c> of the store's schema, created
/// on first use with the checkpoint tables), for hosts that share one database. A run is numbered one more than the
/// highest number stored for its user and agent, under a transaction-scoped advisory lock of that user and agent, so
/// runs finishing together on any number of hosts never share a number (and other users' runs never wait).
/// </summary>
public sealed class PostgreSqlMemoryStore : IMemoryStore
{
    // A memory for every agent of the user is kept under this scope; one for an agent under "agent:" + its id, so a
    // null agent and any agent id stay distinct in the primary key.
    private const string AllAgents = "*";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlSchema _schema;
    private readonly string _lockSpace;

    /// <summary>The default of <see cref="MaxRunsPerAgent"/>.</summary>
    public const int DefaultMaxRunsPerAgent = 1000;

    private readonly int _maxRunsPerAgent = DefaultMaxRunsPerAgent;

    /// <summary>
    /// How many run summaries are kept per user and agent: saving a run removes the oldest beyond this, in the same
    /// transaction, so memory cannot grow without end. Run numbers go on counting (pruned runs are not renumbered). At
    /// least 1; default <see cref="DefaultMaxRunsPerAgent"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxRunsPerAgent
    {
        get => _maxRunsPerAgent;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxRunsPerAgent = value;
        }
    }

    /// <summary>Creates a store over <paramref name="dataSource"/> (owned by the caller).</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The schema of the tables (the checkpoint store's, by default).</param>
    public PostgreSqlMemoryStore(NpgsqlDataSource dataSource, string schema = "orchestrator")
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schema);
        _dataSource = dataSource;
        _schema = new PostgreSqlSchema(schema);
        _lockSpace = "orchestrator-run-memories:" + schema;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RunMemory>> GetRecentRunsAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"""
            SELECT run_number, execution_id, status, summary, sentiment, key_outcomes::text, patterns_detected::text, suggestions::text, error_codes::text, importance, created_at
            FROM {_schema.RunMemories} WHERE user_id = @user AND agent_id = @agent ORDER BY run_number DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("agent", agentId);
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        var runs = new List<RunMemory>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new RunMemory
            {
                UserId = userId,
                AgentId = agentId,
                RunNumber = reader.GetInt32(0),
                ExecutionId = reader.GetString(1),
                Status = reader.GetString(2),
                Summary = reader.GetString(3),
                Sentiment = reader.GetString(4),
                KeyOutcomes = CheckpointJson.ReadStringList(reader.GetString(5)),
                PatternsDetected = CheckpointJson.ReadStringList(reader.GetString(6)),
                Suggestions = CheckpointJson.ReadStringList(reader.GetString(7)),
                ErrorCodes = CheckpointJson.ReadStringList(reader.GetString(8)),
                Importance = reader.GetDouble(9),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(10),
            });
        }

        return runs;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserMemory>> GetUserMemoriesAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"""
            SELECT agent_id, key, content, importance, created_at FROM {_schema.UserMemories}
            WHERE user_id = @user AND scope IN (@all, @scope)
            ORDER BY importance DESC, created_at DESC, scope, key LIMIT @limit
            """);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("all", AllAgents);
        command.Parameters.AddWithValue("scope", Scope(agentId));
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        var memories = new List<UserMemory>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            memories.Add(new UserMemory
            {
                UserId = userId,
                AgentId = reader.IsDBNull(0) ? null : reader.GetString(0),
                Key = reader.GetString(1),
                Content = reader.GetString(2),
                Importance = reader.GetDouble(3),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(4),
            });
        }

        return memories;
    }

    /// <inheritdoc />
    public async ValueTask<int> SaveRunAsync(RunMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The lock first, in its own statement: the insert's snapshot is taken after the lock is held, so it sees the
        // number the previous holder committed. The lock is released with the transaction.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@space), hashtext(@user || chr(31) || @agent))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("space", _lockSpace);
            lockCommand.Parameters.AddWithValue("user", memory.UserId);
            lockCommand.Parameters.AddWithValue("agent", memory.AgentId);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int number;
        await using (var insert = new NpgsqlCommand(
            $"""
            INSERT INTO {_schema.RunMemories} (user_id, agent_id, run_number, execution_id, status, summary, sentiment,
                key_outcomes, patterns_detected, suggestions, error_codes, importance, created_at)
            SELECT @user, @agent, COALESCE(MAX(run_number), 0) + 1, @execution, @status, @summary, @sentiment,
                @outcomes, @patterns, @suggestions, @errors, @importance, @created
            FROM {_schema.RunMemories} WHERE user_id = @user AND agent_id = @agent
            RETURNING run_number
            """,
            connection,
            transaction))
        {
            var parameters = insert.Parameters;
            parameters.AddWithValue("user", memory.UserId);
            parameters.AddWithValue("agent", memory.AgentId);
            parameters.AddWithValue("execution", memory.ExecutionId);
            parameters.AddWithValue("status", memory.Status);
            parameters.AddWithValue("summary", memory.Summary);
            parameters.AddWithValue("sentiment", memory.Sentiment);
            parameters.AddWithValue("outcomes", NpgsqlDbType.Jsonb, CheckpointJson.WriteStringList(memory.KeyOutcomes));
            parameters.AddWithValue("patterns", NpgsqlDbType.Jsonb, CheckpointJson.WriteStringList(memory.PatternsDetected));
            parameters.AddWithValue("suggestions", NpgsqlDbType.Jsonb, CheckpointJson.WriteStringList(memory.Suggestions));
            parameters.AddWithValue("errors", NpgsqlDbType.Jsonb, CheckpointJson.WriteStringList(memory.ErrorCodes));
            parameters.AddWithValue("importance", memory.Importance);
            parameters.AddWithValue("created", memory.CreatedAt.ToUniversalTime());
            number = Convert.ToInt32(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        // Keep the newest MaxRunsPerAgent (run numbers are consecutive per user and agent), in the same transaction.
        await using (var prune = new NpgsqlCommand($"DELETE FROM {_schema.RunMemories} WHERE user_id = @user AND agent_id = @agent AND run_number <= @oldest", connection, transaction))
        {
            prune.Parameters.AddWithValue("user", memory.UserId);
            prune.Parameters.AddWithValue("agent", memory.AgentId);
            prune.Parameters.AddWithValue("oldest", number - _maxRunsPerAgent);
            await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return number;
    }

    /// <inheritdoc />
    public async ValueTask SaveUserMemoryAsync(UserMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"""
            INSERT INTO {_schema.UserMemories} (user_id, scope, agent_id, key, content, importance, created_at)
            VALUES (@user, @scope, @agent, @key, @content, @importance, @created)
            ON CONFLICT (user_id, scope, key) DO UPDATE SET content = excluded.content, importance = excluded.importance, created_at = excluded.created_at
            """);
        command.Parameters.AddWithValue("user", memory.UserId);
        command.Parameters.AddWithValue("scope", memory.AgentId is null ? AllAgents : Scope(memory.AgentId));
        command.Parameters.AddWithValue("agent", NpgsqlDbType.Text, (object?)memory.AgentId ?? DBNull.Value);
        command.Parameters.AddWithValue("key", memory.Key);
        command.Parameters.AddWithValue("content", memory.Content);
        command.Parameters.AddWithValue("importance", memory.Importance);
        command.Parameters.AddWithValue("created", memory.CreatedAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> CountRunsAsync(string userId, string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"SELECT COALESCE(MAX(run_number), 0) FROM {_schema.RunMemories} WHERE user_id = @user AND agent_id = @agent");
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("agent", agentId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static string Scope(string agentId) => "agent:" + agentId;
}
