using System.Text.Json;

namespace Orchestrator.Core.Ports;

/// <summary>What a plugin action returned: data, or an error the orchestrator can retry or report.</summary>
public sealed record PluginResult
{
    /// <summary>Whether the action succeeded.</summary>
    public required bool Success { get; init; }

    /// <summary>The action's data (for a success).</summary>
    public JsonElement Data { get; init; }

    /// <summary>What went wrong (for a failure).</summary>
    public string? Error { get; init; }

    /// <summary>A machine-readable error code, such as <c>RATE_LIMIT</c> or <c>429</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Whether trying again may succeed (the step's retry policy decides how often).</summary>
    public bool Retryable { get; init; }

    /// <summary>A success with <paramref name="data"/>.</summary>
    /// <param name="data">The data.</param>
    /// <returns>The result.</returns>
    public static PluginResult Ok(JsonElement data) => new() { Success = true, Data = data };

    /// <summary>A failure.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="errorCode">A machine-readable code.</param>
    /// <param name="retryable">Whether trying again may succeed.</param>
    /// <returns>The result.</returns>
    public static PluginResult Fail(string error, string? errorCode = null, bool retryable = false) =>
        new() { Success = false, Error = error, ErrorCode = errorCode, Retryable = retryable };
}
