namespace Orchestrator.Core.Execution;

/// <summary>A step started.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="StepId">The step.</param>
/// <param name="IterationKey">Where it runs (empty at the top level).</param>
public sealed record StepStartedEvent(string ExecutionId, DateTimeOffset Timestamp, string StepId, string IterationKey)
    : ExecutionEvent(ExecutionId, Timestamp);
