using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Execution;

namespace Orchestrator.Core.Ports;

/// <summary>
/// The record of one top-level step, appended when it finishes (or suspends, for an approval). Each record holds its
/// own output once: later records never copy it, so a run's checkpoint grows with the outputs, not with the square of
/// the steps. A container step (loop, parallel group, scatter, sub-workflow) is one record, written when it finishes
/// as a whole. When a step has several records (an approval suspended, then escalated), the last one counts.
/// </summary>
public sealed record StepCheckpoint
{
    /// <summary>The step's id.</summary>
    public required string StepId { get; init; }

    /// <summary>
    /// <see cref="StepStatus.Succeeded"/>, <see cref="StepStatus.Failed"/> (tolerated by <c>continueOnError</c> or a
    /// fallback, or the failure that ended the run), <see cref="StepStatus.Skipped"/>, or <see cref="StepStatus.Suspended"/>
    /// (an approval waiting; see <see cref="Approval"/>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] // Succeeded is the enum's default: always written, as it is required.
    public required StepStatus Status { get; init; }

    /// <summary>The step's output (its fallback's when it used one).</summary>
    public JsonElement Data { get; init; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>The failure's code.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Why it was skipped.</summary>
    public string? SkipReason { get; init; }

    /// <summary>Whether it was skipped because its branch was not taken.</summary>
    public bool BranchSkipped { get; init; }

    /// <summary>For conditionals and switches: the branch targets chosen.</summary>
    public IReadOnlyList<string>? ChosenTargets { get; init; }

    /// <summary>How many attempts it took.</summary>
    public int Attempts { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset ExecutedAt { get; init; }

    /// <summary>How long it ran.</summary>
    public TimeSpan ExecutionTime { get; init; }

    /// <summary>How many items it produced, for list outputs.</summary>
    public int? ItemCount { get; init; }

    /// <summary>Whether the result came from the step result cache.</summary>
    public bool CacheHit { get; init; }

    /// <summary>Whether the output is the step's fallback.</summary>
    public bool UsedFallback { get; init; }

    /// <summary>The LLM model that answered, for LLM steps.</summary>
    public string? Model { get; init; }

    /// <summary>Input tokens of the LLM calls made by the step (and the steps inside it).</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens of the LLM calls made by the step (and the steps inside it).</summary>
    public long OutputTokens { get; init; }

    /// <summary>How many LLM calls the step (and the steps inside it) made.</summary>
    public int LlmCalls { get; init; }

    /// <summary>What the step's LLM calls (and those of the steps inside it) cost, from the pricing table.</summary>
    public decimal Cost { get; init; }

    /// <summary>For a suspended approval: the request the approvers see.</summary>
    public ApprovalCheckpoint? Approval { get; init; }
}
