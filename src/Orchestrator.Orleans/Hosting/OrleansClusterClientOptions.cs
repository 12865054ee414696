namespace Orchestrator.Orleans.Hosting;

/// <summary>How the cluster's <see cref="Client.OrleansWorkflowOrchestrator"/> waits for runs.</summary>
public sealed class OrleansClusterClientOptions
{
    /// <summary>
    /// How long one wait call may stay open on a run's grain before the client asks again. Must stay below the
    /// cluster's message response timeout (30 seconds by default). Default: 10 seconds.
    /// </summary>
    public TimeSpan WaitSlice { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the client waits before asking again after a silo became unreachable. Default: 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
