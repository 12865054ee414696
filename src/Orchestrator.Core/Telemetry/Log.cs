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
        Message = "Step {StepId} of run {ExecutionId}: attempt {Attempt} failed; the next starts in {DelayMs} ms")]
    public static partial void StepRetried(ILogger logger, string executionId, string stepId, int attempt, double delayMs);

    [LoggerMessage(EventId = 5, EventName = "AuditSinkFailed", Level = LogLevel.Warning,
        Message = "Audit sink {Sink} failed to write {EventCount} events of run {ExecutionId}")]
    public static partial void AuditSinkFailed(ILogger logger, Exception exception, string executionId, string sink, int eventCount);

    [LoggerMessage(EventId = 6, EventName = "AuditEventsDropped", Level = LogLevel.Warning,
        Message = "Audit sink {Sink} fell behind: {DroppedCount} events of run {ExecutionId} were dropped")]
    public static partial void AuditEventsDropped(ILogger logger, string executionId, string sink, long droppedCount);

    [LoggerMessage(EventId = 7, EventName = "MemoryLoadFailed", Level = LogLevel.Warning,
        Message = "Memory for run {ExecutionId} (agent {AgentId}) could not be loaded; the run goes on without it")]
    public static partial void MemoryLoadFailed(ILogger logger, Exception exception, string executionId, string agentId);

    [LoggerMessage(EventId = 8, EventName = "MemorySaveFailed", Level = LogLevel.Warning,
        Message = "The memory of run {ExecutionId} (agent {AgentId}) could not be saved ({Stage}); the run's result is unchanged")]
    public static partial void MemorySaveFailed(ILogger logger, Exception? exception, string executionId, string agentId, string stage);

    [LoggerMessage(EventId = 9, EventName = "MetricsSinkFailed", Level = LogLevel.Warning,
        Message = "The metrics sink failed to record run {ExecutionId}; the run's result is unchanged")]
    public static partial void MetricsSinkFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(EventId = 10, EventName = "CostLimitReached", Level = LogLevel.Warning,
        Message = "Run {ExecutionId} reached its cost ceiling of {MaxRunCost} at step {StepId}; it stops")]
    public static partial void CostLimitReached(ILogger logger, string executionId, string stepId, decimal maxRunCost);

    [LoggerMessage(EventId = 41, EventName = "StepAbandoned", Level = LogLevel.Warning,
        Message = "Step {StepId} of run {ExecutionId} did not stop when its attempt was cancelled (timeout or run cancellation); its task was abandoned")]
    public static partial void StepAbandoned(ILogger logger, string executionId, string stepId);

    [LoggerMessage(EventId = 42, EventName = "RunStepsAbandoned", Level = LogLevel.Warning,
        Message = "Run {ExecutionId} was cancelled and its running steps did not stop within {GraceMs} ms; they were abandoned")]
    public static partial void RunStepsAbandoned(ILogger logger, string executionId, double graceMs);
}
