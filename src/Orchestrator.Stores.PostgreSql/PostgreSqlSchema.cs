using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Orchestrator.Stores.PostgreSql;

/// <summary>The tables of the PostgreSQL store, created once per data source and schema (under an advisory lock, so hosts starting together do not race).</summary>
internal sealed partial class PostgreSqlSchema
{
    private Task? _ready;

    public PostgreSqlSchema(string schema)
    {
        if (!Identifier().IsMatch(schema))
        {
            throw new ArgumentException($"'{schema}' is not a plain schema name (letters, digits and underscores, starting with a letter or underscore).", nameof(schema));
        }

        Name = schema;
        Runs = $"\"{schema}\".runs";
        Steps = $"\"{schema}\".steps";
        Approvals = $"\"{schema}\".approvals";
        Leases = $"\"{schema}\".leases";
        RunMemories = $"\"{schema}\".run_memories";
        UserMemories = $"\"{schema}\".user_memories";
        AuditEvents = $"\"{schema}\".audit_events";
    }

    public string Name { get; }

    public string Runs { get; }

    public string Steps { get; }

    public string Approvals { get; }

    public string Leases { get; }

    public string RunMemories { get; }

    public string UserMemories { get; }

    public string AuditEvents { get; }

    /// <summary>Creates the tables once; a failed attempt is retried by the next call.</summary>
    public Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var task = Volatile.Read(ref _ready);
        if (task is { IsCompletedSuccessfully: true })
        {
            return task;
        }

        if (task is null || task.IsFaulted || task.IsCanceled)
        {
            var fresh = CreateAsync(dataSource);
            task = ReferenceEquals(Interlocked.CompareExchange(ref _ready, fresh, task), task) ? fresh : Volatile.Read(ref _ready)!;
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task CreateAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var sql = string.Create(CultureInfo.InvariantCulture, $"""
            SELECT pg_advisory_xact_lock(hashtext('orchestrator-schema:' || @schema));
            CREATE SCHEMA IF NOT EXISTS "{Name}";
            CREATE TABLE IF NOT EXISTS {Runs} (
                execution_id text PRIMARY KEY,
                workflow_id text NULL,
                definition_json text NOT NULL,
                definition_hash text NOT NULL,
                inputs text NOT NULL,
                user_id text NOT NULL,
                agent_id text NULL,
                created_at timestamptz NOT NULL,
                status smallint NOT NULL,
                outcome smallint NULL,
                updated_at timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS runs_status ON {Runs} (status, created_at);
            CREATE TABLE IF NOT EXISTS {Steps} (
                execution_id text NOT NULL REFERENCES {Runs} ON DELETE CASCADE,
                seq bigint NOT NULL,
                step_id text NOT NULL,
                record text NOT NULL,
                PRIMARY KEY (execution_id, seq));
            CREATE TABLE IF NOT EXISTS {Approvals} (
                execution_id text NOT NULL REFERENCES {Runs} ON DELETE CASCADE,
                step_id text NOT NULL,
                approver text NOT NULL,
                approved boolean NOT NULL,
                comment text NULL,
                decided_at timestamptz NOT NULL,
                PRIMARY KEY (execution_id, step_id, approver));
            CREATE TABLE IF NOT EXISTS {Leases} (
                execution_id text PRIMARY KEY,
                owner text NOT NULL,
                expires_at timestamptz NOT NULL);
            CREATE TABLE IF NOT EXISTS {RunMemories} (
                user_id text NOT NULL,
                agent_id text NOT NULL,
                run_number integer NOT NULL,
                execution_id text NOT NULL,
                status text NOT NULL,
                summary text NOT NULL,
                sentiment text NOT NULL,
                key_outcomes jsonb NOT NULL,
                patterns_detected jsonb NOT NULL,
                suggestions jsonb NOT NULL,
                error_codes jsonb NOT NULL,
                importance double precision NOT NULL,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (user_id, agent_id, run_number));
            CREATE TABLE IF NOT EXISTS {UserMemories} (
                user_id text NOT NULL,
                scope text NOT NULL,
                agent_id text NULL,
                key text NOT NULL,
                content text NOT NULL,
                importance double precision NOT NULL,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (user_id, scope, key));
            CREATE TABLE IF NOT EXISTS {AuditEvents} (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                execution_id text NOT NULL,
                sequence bigint NOT NULL,
                kind text NOT NULL,
                severity text NOT NULL,
                timestamp timestamptz NOT NULL,
                workflow_id text NULL,
                agent_id text NULL,
                user_id text NULL,
                step_id text NULL,
                message text NOT NULL,
                details jsonb NULL);
            CREATE INDEX IF NOT EXISTS audit_events_execution ON {AuditEvents} (execution_id, sequence);
            """);
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.AddWithValue("schema", Name);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
