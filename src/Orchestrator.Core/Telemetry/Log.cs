using Microsoft.Extensions.Logging;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// The orchestrator's log events, source-generated: nothing is formatted unless the level is enabled. Prompts, replies
/// and payloads are never logged here; error messages are left out too (they can quote data), only error codes.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "RunStarted", Level = LogLevel.Debug,
        Message = "Run {ExecutionId} of workflow {WorkflowId} started ({StepCount} steps)")]
    public static partial void RunStarted(ILogger logger, string executionId, string? workflowId, int stepCount);

    [LoggerMessage(EventId = 2, EventName = "RunFinished", Level = LogLevel.Information,
        Message = "Run {ExecutionId} of workflow {WorkflowId} finished: {Status} in {DurationMs} ms (error code {ErrorCode})")]
    public static partial void RunFinished(ILogger logger, string executionId, string? workflowId, Execution.ExecutionStatus status, double durationMs, string? errorCode);

    [LoggerMessage(EventId = 3, EventName = "StepFailed", Level = LogLevel.Warning,
        Message = "Step {StepId} ({StepType}) of run {ExecutionId} failed with {ErrorCode} after {Attempts} attempts")]
    public static partial void StepFailed(ILogger logger, string executionId, string stepId, string stepType, string? errorCode, int attempts);

    [LoggerMessage(EventId = 4, EventName = "StepRetried", Level = LogLevel.Information,
        Message = "Step {StepId} of run {ExecutionId} is retried: attempt {Attempt} in {DelayMs} ms")]
    public static partial void StepRetried(ILogger logger, string executionId, string stepId, int attempt, double delayMs);
}
