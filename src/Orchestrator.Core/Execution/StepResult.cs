using System.Text.Json;

namespace Orchestrator.Core.Execution;

/// <summary>What one step produced: its data and metadata, in the shape references read (<c>{{step.data...}}</c>, <c>{{step.metadata.success}}</c>).</summary>
public sealed record StepResult
{
    /// <summary>The step's id.</summary>
    public required string StepId { get; init; }

    /// <summary>How the step ended.</summary>
    public required StepStatus Status { get; init; }

    /// <summary>The step's data (its fallback when it failed with one; null when it did not run).</summary>
    public JsonElement Data { get; init; }

    /// <summary>The plugin called, for actions.</summary>
    public string? Plugin { get; init; }

    /// <summary>The action called, for actions.</summary>
    public string? Action { get; init; }

    /// <summary>Whether the step succeeded (<c>metadata.success</c>).</summary>
    public bool Success => Status == StepStatus.Succeeded;

    /// <summary>When the step started (<c>metadata.executedAt</c>), from the orchestrator's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset ExecutedAt { get; init; }

    /// <summary>How long the step took, all attempts included (<c>metadata.executionTime</c>, in milliseconds in JSON).</summary>
    public TimeSpan ExecutionTime { get; init; }

    /// <summary>The number of items the step produced or processed, when it is a list (<c>metadata.itemCount</c>).</summary>
    public int? ItemCount { get; init; }

    /// <summary>Prompt tokens of the step's LLM calls, inner steps included.</summary>
    public long InputTokens { get; init; }

    /// <summary>Reply tokens of the step's LLM calls, inner steps included.</summary>
    public long OutputTokens { get; init; }

    /// <summary>All tokens of the step's LLM calls (<c>metadata.tokensUsed</c>).</summary>
    public long TokensUsed => InputTokens + OutputTokens;

    /// <summary>What the step's LLM calls cost, inner steps included (<c>metadata.cost</c>), from the pricing table.</summary>
    public decimal Cost { get; init; }

    /// <summary>The model that answered, for LLM steps.</summary>
    public string? Model { get; init; }

    /// <summary>What went wrong (<c>metadata.error</c>).</summary>
    public string? Error { get; init; }

    /// <summary>A machine-readable error code (<c>metadata.errorCode</c>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Whether the data came from the step cache (<c>metadata.cacheHit</c>).</summary>
    public bool CacheHit { get; init; }

    /// <summary>How many attempts the step made (1 without retries; 0 when it did not run).</summary>
    public int Attempts { get; init; }

    /// <summary>Why the step was skipped or cancelled.</summary>
    public string? SkipReason { get; init; }

    /// <summary>Whether the step's fallback stood in for its data.</summary>
    public bool UsedFallback { get; init; }
}
