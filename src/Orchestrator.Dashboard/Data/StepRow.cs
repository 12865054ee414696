using System.Text.Json;

namespace Orchestrator.Dashboard.Data;

/// <summary>A top-level step of a run as the run page shows it: the plan's step and its last stored record, if any.</summary>
internal sealed record StepRow
{
    public required string StepId { get; init; }

    public required string Type { get; init; }

    /// <summary>The record's status in lower case, or <c>not finished</c> / <c>not run</c> when the step has no record.</summary>
    public required string Status { get; init; }

    /// <summary>The step's node in the plan's Mermaid graph (<c>n0</c>, <c>n1</c>, ...), when the plan could be made.</summary>
    public string? NodeId { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public TimeSpan? Duration { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public decimal Cost { get; init; }

    public string? Model { get; init; }

    public string? Error { get; init; }

    public string? ErrorCode { get; init; }

    public string? SkipReason { get; init; }

    public bool CacheHit { get; init; }

    public bool UsedFallback { get; init; }

    /// <summary>The output, redacted as the audit trail is; undefined when there is none.</summary>
    public JsonElement Output { get; init; }
}
