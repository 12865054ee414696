using System.Text.Json;

namespace Orchestrator.Core.Execution;

/// <summary>
/// The outcome of running a step through the pipeline, as a value: a failure the workflow can handle (a plugin that
/// said no, a malformed LLM reply) is an outcome, not an exception, so retry and fallback see it.
/// </summary>
public readonly record struct StepOutcome
{
    /// <summary>What the attempt came to.</summary>
    public StepOutcomeKind Kind { get; init; }

    /// <summary>The step's data.</summary>
    public JsonElement Data { get; init; }

    /// <summary>What went wrong, for a failure; why, for a skip.</summary>
    public string? Error { get; init; }

    /// <summary>A machine-readable error code.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Whether trying again may succeed.</summary>
    public bool Retryable { get; init; }

    /// <summary>The number of items, when the data is a list the step produced.</summary>
    public int? ItemCount { get; init; }

    /// <summary>Whether the data came from the step cache.</summary>
    public bool CacheHit { get; init; }

    /// <summary>Whether the outcome is a success.</summary>
    public bool IsSuccess => Kind == StepOutcomeKind.Succeeded;

    /// <summary>A success.</summary>
    /// <param name="data">The data.</param>
    /// <param name="itemCount">The number of items, when the data is a list.</param>
    /// <returns>The outcome.</returns>
    public static StepOutcome Success(JsonElement data, int? itemCount = null) => new() { Kind = StepOutcomeKind.Succeeded, Data = data, ItemCount = itemCount };

    /// <summary>A failure.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="errorCode">A machine-readable code.</param>
    /// <param name="retryable">Whether trying again may succeed.</param>
    /// <returns>The outcome.</returns>
    public static StepOutcome Failure(string error, string? errorCode = null, bool retryable = false) =>
        new() { Kind = StepOutcomeKind.Failed, Error = error, ErrorCode = errorCode, Retryable = retryable };

    /// <summary>A decision not to run.</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The outcome.</returns>
    public static StepOutcome Skip(string reason) => new() { Kind = StepOutcomeKind.Skipped, Error = reason };
}
