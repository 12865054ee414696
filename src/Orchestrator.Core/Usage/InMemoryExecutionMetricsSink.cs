using System.Collections.Concurrent;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Usage;

/// <summary>The default metrics sink: keeps the newest summaries in memory (at most <see cref="Capacity"/>), for tests and small hosts.</summary>
public sealed class InMemoryExecutionMetricsSink : IExecutionMetricsSink
{
    private readonly ConcurrentQueue<ExecutionMetrics> _metrics = new();

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
    public IReadOnlyList<ExecutionMetrics> Metrics => [.. _metrics];

    /// <inheritdoc />
    public ValueTask RecordAsync(ExecutionMetrics metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _metrics.Enqueue(metrics);
        while (_metrics.Count > Capacity && _metrics.TryDequeue(out _))
        {
        }

        return ValueTask.CompletedTask;
    }
}
