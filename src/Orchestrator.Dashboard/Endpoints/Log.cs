using Microsoft.Extensions.Logging;
using Orchestrator.Core.Execution;

namespace Orchestrator.Dashboard.Endpoints;

/// <summary>The dashboard's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "The Orchestrator dashboard could not read {What}.")]
    public static partial void ReadFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "'{Approver}' {Decision} step '{StepId}' of run '{ExecutionId}' from the dashboard (settled: {Settled}).")]
    public static partial void ApprovalSubmitted(ILogger logger, string approver, string decision, string stepId, string executionId, bool settled);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The approval of step '{StepId}' of run '{ExecutionId}' by '{Approver}' was refused: {Reason}")]
    public static partial void ApprovalRefused(ILogger logger, string stepId, string executionId, string approver, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Run '{ExecutionId}' resumed from the dashboard ended {Status}.")]
    public static partial void RunResumed(ILogger logger, string executionId, ExecutionStatus status);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Run '{ExecutionId}' could not be resumed after its approval.")]
    public static partial void ResumeFailed(ILogger logger, Exception exception, string executionId);
}
