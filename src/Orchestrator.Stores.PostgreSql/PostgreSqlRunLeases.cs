using Npgsql;
using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.PostgreSql;

/// <summary>
/// Leases on runs: a run is owned by the host whose lease on it has not expired. Taking a lease is one conditional
/// statement (insert, or take over a lease that expired or is already ours), so two hosts can never both hold one.
/// Times are the hosts' clocks (their <see cref="TimeProvider"/>): keep them in step, well within the lease duration.
/// </summary>
public sealed class PostgreSqlRunLeases
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlSchema _schema;

    /// <summary>Creates the leases over <paramref name="dataSource"/> (owned by the caller).</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The schema of the store's tables; <c>orchestrator</c> by default.</param>
    public PostgreSqlRunLeases(NpgsqlDataSource dataSource, string schema = "orchestrator")
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _schema = new PostgreSqlSchema(schema);
    }

    /// <summary>Takes the lease of a run when no one holds it, its lease expired, or <paramref name="owner"/> holds it already.</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="owner">The host.</param>
    /// <param name="expiresAt">Until when the lease holds unless renewed.</param>
    /// <param name="now">The host's now: a lease that expired before it can be taken over.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether <paramref name="owner"/> holds the lease now.</returns>
    public async ValueTask<bool> TryAcquireAsync(string executionId, string owner, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(owner);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"""
            INSERT INTO {_schema.Leases} AS l (execution_id, owner, expires_at) VALUES (@id, @owner, @expires)
            ON CONFLICT (execution_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE l.owner = excluded.owner OR l.expires_at < @now
            """);
        command.Parameters.AddWithValue("id", executionId);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("expires", expiresAt.ToUniversalTime());
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Extends a lease <paramref name="owner"/> still holds (even past its expiry, as long as no other host took it).</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="owner">The host.</param>
    /// <param name="expiresAt">The new expiry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when the lease is lost: the host must stop working on the run.</returns>
    public async ValueTask<bool> RenewAsync(string executionId, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(owner);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"UPDATE {_schema.Leases} SET expires_at = @expires WHERE execution_id = @id AND owner = @owner");
        command.Parameters.AddWithValue("id", executionId);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("expires", expiresAt.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Gives a lease up (when the run finished or suspended), if <paramref name="owner"/> holds it.</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="owner">The host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lease is released.</returns>
    public async ValueTask ReleaseAsync(string executionId, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        ArgumentNullException.ThrowIfNull(owner);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"DELETE FROM {_schema.Leases} WHERE execution_id = @id AND owner = @owner");
        command.Parameters.AddWithValue("id", executionId);
        command.Parameters.AddWithValue("owner", owner);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Who holds a run's lease and until when, or null when no one does.</summary>
    /// <param name="executionId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The owner and expiry.</returns>
    public async ValueTask<(string Owner, DateTimeOffset ExpiresAt)?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"SELECT owner, expires_at FROM {_schema.Leases} WHERE execution_id = @id");
        command.Parameters.AddWithValue("id", executionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    /// <summary>Runs still running whose host is gone: their lease expired before <paramref name="now"/>, or they have none. Oldest first.</summary>
    /// <param name="now">The host's now.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ids.</returns>
    public async ValueTask<IReadOnlyList<string>> ListOrphanedRunsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(_dataSource, cancellationToken).ConfigureAwait(false);
        await using var command = _dataSource.CreateCommand($"""
            SELECT r.execution_id FROM {_schema.Runs} r LEFT JOIN {_schema.Leases} l ON l.execution_id = r.execution_id
            WHERE r.status = @running AND (l.execution_id IS NULL OR l.expires_at < @now)
            ORDER BY r.created_at, r.execution_id LIMIT @limit
            """);
        command.Parameters.AddWithValue("running", (short)CheckpointStatus.Running);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
