namespace Orchestrator.Core.Execution;

/// <summary>Something that happened during a run, streamed by <see cref="IWorkflowOrchestrator.ExecuteStreamingAsync"/>.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="Timestamp">When it happened, from the orchestrator's <see cref="TimeProvider"/>.</param>
public abstract record ExecutionEvent(string ExecutionId, DateTimeOffset Timestamp);
