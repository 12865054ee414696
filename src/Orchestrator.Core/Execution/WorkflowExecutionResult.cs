using System.Text.Json;

namespace Orchestrator.Core.Execution;

/// <summary>How a run ended, with every step's result, the final output and the usage.</summary>
public sealed record WorkflowExecutionResult
{
    /// <summary>The run's id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>How the run ended.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>Every top-level step's result, by step id, in document order.</summary>
    public required IReadOnlyDictionary<string, StepResult> Steps { get; init; }

    /// <summary>The final output: the <c>output_schema</c> fields, or every step's data by id without one.</summary>
    public JsonElement Output { get; init; }

    /// <summary>The LLM usage of the run.</summary>
    public required ExecutionUsage Usage { get; init; }

    /// <summary>Why the run failed, was rejected or cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>A machine-readable code for <see cref="Error"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Problems that did not change the outcome (an output source that was missing, a rollback that failed, ...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The approvals the run waits for, when it is <see cref="ExecutionStatus.Suspended"/>.</summary>
    public IReadOnlyList<PendingApproval> PendingApprovals { get; init; } = [];
}
