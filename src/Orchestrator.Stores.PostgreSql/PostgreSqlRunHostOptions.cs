namespace Orchestrator.Stores.PostgreSql;

/// <summary>How a host owns the runs it works on.</summary>
public sealed record PostgreSqlRunHostOptions
{
    /// <summary>This host's id, unique among the hosts sharing the database (such as machine name and process id).</summary>
    public required string Owner { get; init; }

    /// <summary>How long a lease holds without renewal: how long a dead host's runs wait before another host takes them. 30 seconds by default.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a running run's lease is renewed; well under <see cref="LeaseDuration"/>. 10 seconds by default.</summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(10);
}
