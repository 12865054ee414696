using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Durability;

/// <summary>A checkpointed run ready to continue, or why it cannot (a rejection with its code).</summary>
internal readonly record struct ResumedRun(ExecutionPlan? Plan, StepScope? Scope, string? Error, string? ErrorCode);
