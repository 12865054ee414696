namespace Orchestrator.Orleans.Client;

/// <summary>Where a run of the cluster stands.</summary>
public enum ClusterRunState
{
    /// <summary>No run has that id (or its header was never stored).</summary>
    Unknown,

    /// <summary>The run is running, or waits to be resumed on a live silo.</summary>
    Running,

    /// <summary>The run waits for approvals.</summary>
    Suspended,

    /// <summary>The run ended; see <see cref="ClusterRunStatus.Outcome"/>.</summary>
    Finished,
}
