namespace Orchestrator.Core.Execution;

/// <summary>A step finished: succeeded, failed, was skipped, cancelled or suspended (see <see cref="StepResult.Status"/>).</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="IterationKey">Where it ran (empty at the top level).</param>
/// <param name="Result">The step's result.</param>
public sealed record StepFinishedEvent(string ExecutionId, DateTimeOffset Timestamp, string IterationKey, StepResult Result)
    : ExecutionEvent(ExecutionId, Timestamp);
