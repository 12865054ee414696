using System.Text.Json.Serialization;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>How a failed step attempt is retried (<c>retryPolicy</c>).</summary>
public sealed record RetryPolicy
{
    /// <summary>The default multiplier applied to the backoff after each retry.</summary>
    public const double DefaultBackoffMultiplier = 2;

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; init; }

    /// <summary>The wait before the first retry (<c>backoffMs</c> in JSON).</summary>
    [JsonPropertyName("backoffMs")]
    [JsonConverter(typeof(MillisecondsJsonConverter))]
    public TimeSpan? Backoff { get; init; }

    /// <summary>The factor the wait grows by after each retry; <see cref="DefaultBackoffMultiplier"/> when absent.</summary>
    public double? BackoffMultiplier { get; init; }

    /// <summary>Whether waits are randomised to spread retries out.</summary>
    public bool Jitter { get; init; }

    /// <summary>Error codes or message fragments that make a failure retryable (plugins can also mark a failure retryable).</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> RetryableErrors { get; init; }
}
