using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution;

/// <summary>
/// A step result cache in process memory, expiring entries by the orchestrator's <see cref="TimeProvider"/>. Bounded:
/// it holds at most <see cref="MaxEntries"/> entries. Storing into a full cache first drops every expired entry and,
/// when it is still full, the entries closest to expiry (about a tenth of the bound at once, so the sweep is rare).
/// </summary>
public sealed class InMemoryStepResultCache : IStepResultCache
{
    /// <summary>The default of <see cref="MaxEntries"/>.</summary>
    public const int DefaultMaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (JsonElement Data, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly Lock _sweep = new();
    private readonly int _maxEntries = DefaultMaxEntries;

    /// <summary>Creates the cache.</summary>
    /// <param name="timeProvider">The clock expiry is measured by; the system clock when null.</param>
    public InMemoryStepResultCache(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The most entries held at once; at least 1. Default <see cref="DefaultMaxEntries"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxEntries
    {
        get => _maxEntries;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxEntries = value;
        }
    }

    /// <summary>How many entries are held now, expired ones not yet dropped included.</summary>
    public int Count => _entries.Count;

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
        var now = _timeProvider.GetUtcNow();
        if (_entries.Count >= _maxEntries && !_entries.ContainsKey(key))
        {
            MakeRoom(now);
        }

        _entries[key] = (data.Clone(), now + timeToLive);
        return ValueTask.CompletedTask;
    }

    /// <summary>Drops the expired entries, then, while still full, those that expire first.</summary>
    private void MakeRoom(DateTimeOffset now)
    {
        lock (_sweep)
        {
            if (_entries.Count < _maxEntries)
            {
                return; // Another writer made room meanwhile.
            }

            foreach (var entry in _entries)
            {
                if (entry.Value.Expires <= now)
                {
                    _entries.TryRemove(entry);
                }
            }

            if (_entries.Count < _maxEntries)
            {
                return; // Dropping what had expired was enough.
            }

            var excess = _entries.Count - _maxEntries + Math.Max(1, _maxEntries / 10);

            var oldest = _entries.ToArray();
            Array.Sort(oldest, static (a, b) => a.Value.Expires.CompareTo(b.Value.Expires));
            for (var i = 0; i < excess && i < oldest.Length; i++)
            {
                _entries.TryRemove(oldest[i]);
            }
        }
    }
}
