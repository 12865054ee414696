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
}
