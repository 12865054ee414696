using Microsoft.Extensions.Logging;

namespace Orchestrator.Orleans;

/// <summary>The package's log messages (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Run {ExecutionId} resumed on this silo from its checkpoint ({Reason}).")]
    public static partial void RunResumed(ILogger logger, string executionId, string reason);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Run {ExecutionId} handed over: this silo stopped it without recording an end, another silo resumes it.")]
    public static partial void RunHandedOver(ILogger logger, string executionId);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Run {ExecutionId} failed in its grain.")]
    public static partial void RunFailed(ILogger logger, string executionId, Exception exception);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "The event observer of run {ExecutionId} is gone; the run goes on without streaming.")]
    public static partial void ObserverLost(ILogger logger, string executionId, Exception exception);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "The reminder of run {ExecutionId} could not be changed; the next tick retries.")]
    public static partial void ReminderFailed(ILogger logger, string executionId, Exception exception);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "Run {ExecutionId} did not stop within the hand-over timeout; its steps were abandoned.")]
    public static partial void HandOverTimedOut(ILogger logger, string executionId);
}
