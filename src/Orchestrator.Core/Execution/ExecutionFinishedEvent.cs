namespace Orchestrator.Core.Execution;

/// <summary>The run finished (or suspended); the last event of a stream.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Result">The run's result, the same as the non-streaming call returns.</param>
public sealed record ExecutionFinishedEvent(string ExecutionId, DateTimeOffset Timestamp, WorkflowExecutionResult Result)
    : ExecutionEvent(ExecutionId, Timestamp);
