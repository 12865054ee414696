namespace Orchestrator.Core.Execution;

/// <summary>A step attempt failed and will be tried again.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="StepId">The step.</param>
/// <param name="IterationKey">Where it runs.</param>
/// <param name="Attempt">The attempt that failed (1 for the first).</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Delay">The wait before the next attempt.</param>
public sealed record StepRetriedEvent(string ExecutionId, DateTimeOffset Timestamp, string StepId, string IterationKey, int Attempt, string? Error, TimeSpan Delay)
    : ExecutionEvent(ExecutionId, Timestamp);
