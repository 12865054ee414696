using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Durability;

/// <summary>
/// A checkpointed run ready to continue, or why it cannot (a rejection with its code), or a run that had already
/// finished (<paramref name="Finished"/> is its stored outcome; the scope holds its stored step records).
/// <paramref name="Started"/> is the timestamp the run's duration counts from, when it was kept (a run held in memory);
/// a run rebuilt from a store counts from its resumption.
/// </summary>
internal readonly record struct ResumedRun(ExecutionPlan? Plan, StepScope? Scope, string? Error, string? ErrorCode, ExecutionStatus? Finished = null, long? Started = null);
