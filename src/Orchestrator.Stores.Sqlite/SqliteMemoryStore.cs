using Orchestrator.Core.Durability;
using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.Sqlite;

/// <summary>
/// Keeps memories in a SQLite file (tables <c>orchestrator_run_memories</c> and <c>orchestrator_user_memories</c>,
/// created on first use; the file may be the checkpoint store's). Runs are numbered inside one <c>BEGIN IMMEDIATE</c>
/// transaction, one more than the highest number stored for the user and agent, so runs finishing together (in this
/// process or another on the same file) never share a number. Nothing is dropped: every run summary is kept.
/// </summary>
public sealed class SqliteMemoryStore : IMemoryStore, IDisposable
{
    // A memory for every agent of the user is kept under this scope; one for an agent under "agent:" + its id, so a
    // null agent and any agent id stay distinct in the primary key (SQLite keys do not treat NULLs as equal).
    private const string AllAgents = "*";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS orchestrator_run_memories (
            user_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            run_number INTEGER NOT NULL,
            execution_id TEXT NOT NULL,
            status TEXT NOT NULL,
            summary TEXT NOT NULL,
            sentiment TEXT NOT NULL,
            key_outcomes TEXT NOT NULL,
            patterns_detected TEXT NOT NULL,
            suggestions TEXT NOT NULL,
            error_codes TEXT NOT NULL,
            importance REAL NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (user_id, agent_id, run_number)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS orchestrator_user_memories (
            user_id TEXT NOT NULL,
            scope TEXT NOT NULL,
            agent_id TEXT NULL,
            key TEXT NOT NULL,
            content TEXT NOT NULL,
            importance REAL NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (user_id, scope, key)) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase _database;

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

    /// <summary>Creates a store over the SQLite database <paramref name="connectionString"/> names.</summary>
    /// <param name="connectionString">Such as <c>Data Source=orchestrator.db</c>. The file and its tables are created on first use.</param>
    /// <param name="synchronous">How durable each commit is.</param>
    public SqliteMemoryStore(string connectionString, SqliteSynchronousMode synchronous = SqliteSynchronousMode.Normal) =>
        _database = new SqliteDatabase(connectionString, synchronous, Schema);

    /// <summary>Creates a store over the SQLite file at <paramref name="path"/>.</summary>
    /// <param name="path">The file; created when missing.</param>
    /// <returns>The store.</returns>
    public static SqliteMemoryStore ForFile(string path) => new(SqliteDatabase.FileConnectionString(path));

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RunMemory>> GetRecentRunsAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(connection, null, """
            SELECT run_number, execution_id, status, summary, sentiment, key_outcomes, patterns_detected, suggestions, error_codes, importance, created_at
            FROM orchestrator_run_memories WHERE user_id = $user AND agent_id = $agent ORDER BY run_number DESC LIMIT $limit
            """);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        var runs = new List<RunMemory>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
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
                CreatedAt = new DateTimeOffset(reader.GetInt64(10), TimeSpan.Zero),
            });
        }

        return runs;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserMemory>> GetUserMemoriesAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(connection, null, """
            SELECT agent_id, key, content, importance, created_at FROM orchestrator_user_memories
            WHERE user_id = $user AND scope IN ($all, $scope)
            ORDER BY importance DESC, created_at DESC, scope, key LIMIT $limit
            """);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$all", AllAgents);
        command.Parameters.AddWithValue("$scope", Scope(agentId));
        command.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        var memories = new List<UserMemory>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            memories.Add(new UserMemory
            {
                UserId = userId,
                AgentId = reader.IsDBNull(0) ? null : reader.GetString(0),
                Key = reader.GetString(1),
                Content = reader.GetString(2),
                Importance = reader.GetDouble(3),
                CreatedAt = new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
            });
        }

        return memories;
    }

    /// <inheritdoc />
    public ValueTask<int> SaveRunAsync(RunMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var keyOutcomes = CheckpointJson.WriteStringList(memory.KeyOutcomes);
        var patterns = CheckpointJson.WriteStringList(memory.PatternsDetected);
        var suggestions = CheckpointJson.WriteStringList(memory.Suggestions);
        var errorCodes = CheckpointJson.WriteStringList(memory.ErrorCodes);

        // One statement inside BEGIN IMMEDIATE: the highest number is read under the file's write lock, so no other
        // writer can number a run between the read and the insert.
        return _database.WriteAsync(
            (connection, transaction) =>
            {
                using var command = SqliteDatabase.Command(connection, transaction, """
                    INSERT INTO orchestrator_run_memories (user_id, agent_id, run_number, execution_id, status, summary, sentiment,
                        key_outcomes, patterns_detected, suggestions, error_codes, importance, created_at)
                    SELECT $user, $agent, COALESCE(MAX(run_number), 0) + 1, $execution, $status, $summary, $sentiment,
                        $outcomes, $patterns, $suggestions, $errors, $importance, $created
                    FROM orchestrator_run_memories WHERE user_id = $user AND agent_id = $agent
                    RETURNING run_number
                    """);
                var parameters = command.Parameters;
                parameters.AddWithValue("$user", memory.UserId);
                parameters.AddWithValue("$agent", memory.AgentId);
                parameters.AddWithValue("$execution", memory.ExecutionId);
                parameters.AddWithValue("$status", memory.Status);
                parameters.AddWithValue("$summary", memory.Summary);
                parameters.AddWithValue("$sentiment", memory.Sentiment);
                parameters.AddWithValue("$outcomes", keyOutcomes);
                parameters.AddWithValue("$patterns", patterns);
                parameters.AddWithValue("$suggestions", suggestions);
                parameters.AddWithValue("$errors", errorCodes);
                parameters.AddWithValue("$importance", memory.Importance);
                parameters.AddWithValue("$created", memory.CreatedAt.UtcTicks);
                var number = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

                // Keep the newest MaxRunsPerAgent (run numbers are consecutive per user and agent).
                using var prune = SqliteDatabase.Command(connection, transaction, "DELETE FROM orchestrator_run_memories WHERE user_id = $user AND agent_id = $agent AND run_number <= $oldest");
                prune.Parameters.AddWithValue("$user", memory.UserId);
                prune.Parameters.AddWithValue("$agent", memory.AgentId);
                prune.Parameters.AddWithValue("$oldest", number - _maxRunsPerAgent);
                prune.ExecuteNonQuery();
                return number;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SaveUserMemoryAsync(UserMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        await _database.WriteAsync(
            (connection, transaction) =>
            {
                using var command = SqliteDatabase.Command(connection, transaction, """
                    INSERT INTO orchestrator_user_memories (user_id, scope, agent_id, key, content, importance, created_at)
                    VALUES ($user, $scope, $agent, $key, $content, $importance, $created)
                    ON CONFLICT (user_id, scope, key) DO UPDATE SET content = excluded.content, importance = excluded.importance, created_at = excluded.created_at
                    """);
                command.Parameters.AddWithValue("$user", memory.UserId);
                command.Parameters.AddWithValue("$scope", memory.AgentId is null ? AllAgents : Scope(memory.AgentId));
                command.Parameters.AddWithValue("$agent", (object?)memory.AgentId ?? DBNull.Value);
                command.Parameters.AddWithValue("$key", memory.Key);
                command.Parameters.AddWithValue("$content", memory.Content);
                command.Parameters.AddWithValue("$importance", memory.Importance);
                command.Parameters.AddWithValue("$created", memory.CreatedAt.UtcTicks);
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> CountRunsAsync(string userId, string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(agentId);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = SqliteDatabase.Command(connection, null, "SELECT COALESCE(MAX(run_number), 0) FROM orchestrator_run_memories WHERE user_id = $user AND agent_id = $agent");
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$agent", agentId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private static string Scope(string agentId) => "agent:" + agentId;
}
