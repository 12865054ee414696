using System.Collections.Concurrent;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Auditing;

/// <summary>The default audit sink: keeps the newest events in memory (at most <see cref="Capacity"/>), for tests and small hosts.</summary>
public sealed class InMemoryAuditSink : IAuditSink
{
    private readonly ConcurrentQueue<AuditEvent> _events = new();

    /// <summary>Creates a sink keeping at most <paramref name="capacity"/> events.</summary>
    /// <param name="capacity">How many events to keep; the oldest are dropped first.</param>
    public InMemoryAuditSink(int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most events kept.</summary>
    public int Capacity { get; }

    /// <summary>The events kept, in the order they were written.</summary>
    public IReadOnlyList<AuditEvent> Events => [.. _events];

    /// <summary>The events of one run, in order.</summary>
    /// <param name="executionId">The run's id.</param>
    /// <returns>The run's events.</returns>
    public IReadOnlyList<AuditEvent> EventsOf(string executionId) => [.. _events.Where(e => e.ExecutionId == executionId).OrderBy(e => e.Sequence)];

    /// <inheritdoc />
    public ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        Append(events);
        return ValueTask.CompletedTask;
    }

    /// <summary>Keeps <paramref name="events"/> (not the list); what the audit trail calls directly, as nothing here waits.</summary>
    internal void Append(IReadOnlyList<AuditEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            _events.Enqueue(events[i]);
        }

        while (_events.Count > Capacity && _events.TryDequeue(out _))
        {
        }
    }
}
