using System.Text.Json;

namespace Orchestrator.Core.Ports;

/// <summary>Stores step results for steps with <c>cache.enabled</c>; the host may replace the in-memory default.</summary>
public interface IStepResultCache
{
    /// <summary>Looks up a stored result.</summary>
    /// <param name="key">The resolved cache key (the step's <c>cache.key</c>, or its type and resolved parameters).</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The stored data, or undefined when there is none or it expired.</returns>
    ValueTask<JsonElement?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a result.</summary>
    /// <param name="key">The resolved cache key.</param>
    /// <param name="data">The step's data.</param>
    /// <param name="timeToLive">How long it stays valid.</param>
    /// <param name="cancellationToken">Cancels the store.</param>
    /// <returns>A task that completes when it is stored.</returns>
    ValueTask SetAsync(string key, JsonElement data, TimeSpan timeToLive, CancellationToken cancellationToken = default);
}
