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
    private readonly BoundedRing<ExecutionMetrics> _ring;

    /// <summary>Creates a sink keeping at most <paramref name="capacity"/> summaries.</summary>
    /// <param name="capacity">How many summaries to keep; the oldest are dropped first.</param>
    public InMemoryExecutionMetricsSink(int capacity = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new BoundedRing<ExecutionMetrics>(capacity);
    }

    /// <summary>The most summaries kept.</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>The summaries kept, oldest first.</summary>
    public IReadOnlyList<ExecutionMetrics> Metrics
    {
        get
        {
            lock (_lock)
            {
                return _ring.ToArray();
            }
        }
    }

    /// <inheritdoc />
    public ValueTask RecordAsync(ExecutionMetrics metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        lock (_lock)
        {
            _ring.Add(metrics);
        }

        return ValueTask.CompletedTask;
    }
}
