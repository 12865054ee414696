namespace Orchestrator.Core.Durability;

/// <summary>The error codes of runs that checkpointing stopped or refused.</summary>
public static class CheckpointErrorCodes
{
    /// <summary>The store refused a write: the run stopped; what was stored before stays stored and resumable.</summary>
    public const string CheckpointFailed = "CHECKPOINT_FAILED";

    /// <summary>The stored definition does not match its stored hash, or cannot be read: the run is not resumed.</summary>
    public const string CheckpointCorrupt = "CHECKPOINT_CORRUPT";

    /// <summary>The definition given to resume on differs from the run's, and the change was not allowed.</summary>
    public const string DefinitionChanged = "DEFINITION_CHANGED";
}
