namespace Orchestrator.Stores.PostgreSql;

/// <summary>Where the PostgreSQL checkpoint store keeps its tables, and whose writes it accepts.</summary>
public sealed record PostgreSqlCheckpointStoreOptions
{
    /// <summary>The schema of the tables (created on first use with them); <c>orchestrator</c> by default.</summary>
    public string Schema { get; init; } = "orchestrator";

    /// <summary>
    /// The host this store writes for. When set, writes to a run (its records, status and definition) are accepted only
    /// while this host holds the run's lease (<see cref="PostgreSqlRunLeases"/>): a host that lost its lease (paused past
    /// its expiry, cut off from the database) cannot overwrite the run another host has taken over; its run fails with
    /// <c>CHECKPOINT_FAILED</c>. Approval decisions are accepted from any host. When null, writes are not fenced.
    /// </summary>
    public string? LeaseOwner { get; init; }
}
