using System.Collections.Concurrent;
using System.Text.Json;

namespace Orchestrator.Core.Execution;

/// <summary>A step result cache in process memory, expiring entries by the orchestrator's <see cref="TimeProvider"/>.</summary>
public sealed class InMemoryStepResultCache : IStepResultCache
{
    private readonly ConcurrentDictionary<string, (JsonElement Data, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the cache.</summary>
    /// <param name="timeProvider">The clock expiry is measured by; the system clock when null.</param>
    public InMemoryStepResultCache(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public ValueTask<JsonElement?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.Expires > _timeProvider.GetUtcNow())
            {
                return ValueTask.FromResult<JsonElement?>(entry.Data);
            }

            _entries.TryRemove(new KeyValuePair<string, (JsonElement, DateTimeOffset)>(key, entry));
        }

        return ValueTask.FromResult<JsonElement?>(null);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, JsonElement data, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        _entries[key] = (data.Clone(), _timeProvider.GetUtcNow() + timeToLive);
        return ValueTask.CompletedTask;
    }
}
