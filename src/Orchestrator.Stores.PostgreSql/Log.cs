using Microsoft.Extensions.Logging;

namespace Orchestrator.Stores.PostgreSql;

/// <summary>The log events of the PostgreSQL run host.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "LeaseLost", Level = LogLevel.Warning,
        Message = "Host {Owner} lost the lease of run {ExecutionId}; the run is stopped here")]
    public static partial void LeaseLost(ILogger logger, string owner, string executionId);

    [LoggerMessage(EventId = 2, EventName = "LeaseRenewalFailed", Level = LogLevel.Warning,
        Message = "Host {Owner} could not renew the lease of run {ExecutionId}; it tries again")]
    public static partial void LeaseRenewalFailed(ILogger logger, string owner, string executionId, Exception exception);

    [LoggerMessage(EventId = 3, EventName = "OrphanResumed", Level = LogLevel.Information,
        Message = "Host {Owner} took over run {ExecutionId}, whose lease had expired")]
    public static partial void OrphanResumed(ILogger logger, string owner, string executionId);
}
