using Orchestrator.Core.Execution;

namespace Orchestrator.Core.Ports;

/// <summary>
/// The summary of one run that the host's scoring and billing read. Every field is required, so a field cannot go
/// missing or be renamed without a compile error in the host (the stored engine crashed its scoring by passing an
/// object of another shape). Counts include nested steps (inside loops, groups, scatters and sub-workflows).
/// </summary>
public sealed record ExecutionMetrics
{
    /// <summary>The run's id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The workflow's id.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The agent the run belongs to (the workflow's id when the request named no agent).</summary>
    public required string AgentId { get; init; }

    /// <summary>The user the run acted for.</summary>
    public required string UserId { get; init; }

    /// <summary>How the run ended.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>Whether the run succeeded (<see cref="ExecutionStatus.Succeeded"/> or <see cref="ExecutionStatus.PartiallySucceeded"/>).</summary>
    public required bool Success { get; init; }

    /// <summary>Prompt tokens of every LLM call, memory summarisation included.</summary>
    public required long InputTokens { get; init; }

    /// <summary>Reply tokens of every LLM call, memory summarisation included.</summary>
    public required long OutputTokens { get; init; }

    /// <summary>All tokens.</summary>
    public required long TotalTokens { get; init; }

    /// <summary>The run's cost from the pricing table.</summary>
    public required decimal Cost { get; init; }

    /// <summary>The credits the run costs.</summary>
    public required long Credits { get; init; }

    /// <summary>How long the run took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Step executions: every attempt-group of every step that ran, loop iterations and nested steps included.</summary>
    public required int Iterations { get; init; }

    /// <summary>Retries: attempts beyond each step's first.</summary>
    public required int RetryCount { get; init; }

    /// <summary>The distinct plugins called, in name order.</summary>
    public required IReadOnlyList<string> PluginsUsed { get; init; }

    /// <summary>Plugin action calls, retries included.</summary>
    public required int ToolCallCount { get; init; }

    /// <summary>The workflow's top-level steps.</summary>
    public required int WorkflowSteps { get; init; }

    /// <summary>Branches chosen by conditional and switch steps.</summary>
    public required int ConditionalBranchesTaken { get; init; }

    /// <summary>Iterations run by loop steps.</summary>
    public required int LoopIterations { get; init; }

    /// <summary>Branches and items run by parallel groups and scatter-gather steps.</summary>
    public required int ParallelExecutions { get; init; }

    /// <summary>LLM calls, memory summarisation included.</summary>
    public required int LlmCalls { get; init; }

    /// <summary>Tokens of memory injected into the run's prompts.</summary>
    public required int MemoryTokens { get; init; }

    /// <summary>Memory entries (past-run summaries and user memories) injected.</summary>
    public required int MemoryEntries { get; init; }
}
