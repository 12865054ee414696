using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Auditing;

/// <summary>The default audit sink: keeps the newest events in memory (at most <see cref="Capacity"/>), for tests and small hosts.</summary>
/// <remarks>
/// The events are kept in a ring of <see cref="Capacity"/> slots, written a batch at a time under one lock: a full ring
/// overwrites its oldest slot, so keeping an event costs no allocation and no atomic operation of its own (a concurrent
/// queue cost two atomic operations per event, a count across its segments, and a new segment of up to 16 MB on the
/// large object heap every million events). The orchestrator's own events are kept as the audit trail captured them
/// (see <see cref="KeptAuditEvent"/>) and become <see cref="AuditEvent"/> objects when first read.
/// </remarks>
public sealed class InMemoryAuditSink : IAuditSink
{
    private readonly Lock _lock = new();
    /// <summary>Each slot an <see cref="AuditEvent"/> or a <see cref="KeptAuditEvent"/>.</summary>
    private readonly BoundedRing<object> _ring;

    /// <summary>Creates a sink keeping at most <paramref name="capacity"/> events.</summary>
    /// <param name="capacity">How many events to keep; the oldest are dropped first.</param>
    public InMemoryAuditSink(int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new BoundedRing<object>(capacity);
    }

    /// <summary>The most events kept.</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>The events kept, in the order they were written.</summary>
    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            var kept = Snapshot();
            var events = new AuditEvent[kept.Length];
            for (var i = 0; i < kept.Length; i++)
            {
                events[i] = EventOf(kept[i]);
            }

            return events;
        }
    }

    /// <summary>The events of one run, in order.</summary>
    /// <param name="executionId">The run's id.</param>
    /// <returns>The run's events.</returns>
    public IReadOnlyList<AuditEvent> EventsOf(string executionId)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        List<object> ofRun = [];
        foreach (var slot in Snapshot())
        {
            var run = slot is KeptAuditEvent kept ? kept.ExecutionId : ((AuditEvent)slot).ExecutionId;
            if (run == executionId)
            {
                ofRun.Add(slot);
            }
        }

        return [.. ofRun.OrderBy(static slot => slot is KeptAuditEvent kept ? kept.Sequence : ((AuditEvent)slot).Sequence).Select(EventOf)];
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        Append<AuditEvent>(events is AuditEvent[] array ? array : [.. events]);
        return ValueTask.CompletedTask;
    }

    /// <summary>Keeps <paramref name="events"/> (not the span); what the audit trail calls directly, as nothing here waits.</summary>
    internal void Append<T>(ReadOnlySpan<T> events)
        where T : class
    {
        lock (_lock)
        {
            foreach (var @event in events)
            {
                _ring.Add(@event);
            }
        }
    }

    private static AuditEvent EventOf(object slot) => slot as AuditEvent ?? ((KeptAuditEvent)slot).Event;

    /// <summary>The slots kept, oldest first.</summary>
    private object[] Snapshot()
    {
        lock (_lock)
        {
            return _ring.ToArray();
        }
    }
}
