using Microsoft.Extensions.Logging;

namespace Orchestrator.Core.Durability;

/// <summary>The log events of checkpointing (ids 20 and up, apart from the run's own events).</summary>
internal static partial class DurabilityLog
{
    [LoggerMessage(EventId = 20, EventName = "CheckpointFailed", Level = LogLevel.Error,
        Message = "Checkpointing run {ExecutionId} failed; the run stops and what was stored stays resumable")]
    public static partial void CheckpointFailed(ILogger logger, string executionId, Exception exception);

    [LoggerMessage(EventId = 21, EventName = "RunResumed", Level = LogLevel.Information,
        Message = "Run {ExecutionId} resumed from its checkpoint: {RestoredSteps} finished steps reused")]
    public static partial void RunResumed(ILogger logger, string executionId, int restoredSteps);

    [LoggerMessage(EventId = 43, EventName = "CheckpointsExpired", Level = LogLevel.Information,
        Message = "Checkpoint retention removed {Removed} runs that finished before {FinishedBefore}")]
    public static partial void CheckpointsExpired(ILogger logger, int removed, DateTimeOffset finishedBefore);

    [LoggerMessage(EventId = 44, EventName = "CheckpointRetentionFailed", Level = LogLevel.Warning,
        Message = "Checkpoint retention could not remove expired runs; it is tried again later")]
    public static partial void CheckpointRetentionFailed(ILogger logger, Exception exception);
}
