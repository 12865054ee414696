namespace Orchestrator.Core.Ports;

/// <summary>Where a checkpointed run stands.</summary>
public enum CheckpointStatus
{
    /// <summary>The run is running, or its process died while it was: it can be resumed.</summary>
    Running,

    /// <summary>The run waits for approvals; approving and resuming it continues it.</summary>
    Suspended,

    /// <summary>The run ended (see <see cref="StoredRun.Outcome"/>); it is removed once its retention ends.</summary>
    Finished,
}
