using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Usage;

/// <summary>The default metrics sink: keeps the newest summaries in memory (at most <see cref="Capacity"/>), for tests and small hosts.</summary>
/// <remarks>
/// The summaries are kept in a ring of <see cref="Capacity"/> slots under one lock: a full ring overwrites its oldest
/// slot, so keeping a summary allocates nothing (a concurrent queue counted its segments on every summary to trim itself,
/// and made new, ever larger segments as summaries went through it).
/// </remarks>
public sealed class InMemoryExecutionMetricsSink : IExecutionMetricsSink
{
    private readonly Lock _lock = new();
    private ExecutionMetrics[] _ring = [];

    /// <summary>The slot the next summary goes into.</summary>
    private int _next;
    private int _count;

    /// <summary>Creates a sink keeping at most <paramref name="capacity"/> summaries.</summary>
    /// <param name="capacity">How many summaries to keep; the oldest are dropped first.</param>
    public InMemoryExecutionMetricsSink(int capacity = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most summaries kept.</summary>
    public int Capacity { get; }

    /// <summary>The summaries kept, oldest first.</summary>
    public IReadOnlyList<ExecutionMetrics> Metrics
    {
        get
        {
            lock (_lock)
            {
                var kept = new ExecutionMetrics[_count];
                var first = _next - _count;
                if (first >= 0)
                {
                    Array.Copy(_ring, first, kept, 0, _count);
                }
                else
                {
                    // Wrapped: the oldest are at the ring's end, the newest from its start.
                    var tail = -first;
                    Array.Copy(_ring, _ring.Length - tail, kept, 0, tail);
                    Array.Copy(_ring, 0, kept, tail, _next);
                }

                return kept;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask RecordAsync(ExecutionMetrics metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        lock (_lock)
        {
            if (_next == _ring.Length)
            {
                if (_ring.Length < Capacity)
                {
                    // Grown as summaries come (a sink made with a large capacity and little use stays small).
                    Array.Resize(ref _ring, Math.Min(Capacity, Math.Max(16, _ring.Length * 2)));
                }
                else
                {
                    _next = 0;
                }
            }

            _ring[_next++] = metrics;
            _count = Math.Min(_count + 1, Capacity);
        }

        return ValueTask.CompletedTask;
    }
}
