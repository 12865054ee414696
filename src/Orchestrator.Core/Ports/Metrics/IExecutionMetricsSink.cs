namespace Orchestrator.Core.Ports;

/// <summary>
/// Receives one <see cref="ExecutionMetrics"/> summary per finished run (for the host's agent-intensity scoring,
/// billing, dashboards). A sink that throws or is slow is reported as a warning; it never changes the run's result.
/// </summary>
public interface IExecutionMetricsSink
{
    /// <summary>Records the summary of one run.</summary>
    /// <param name="metrics">The run's summary.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the summary is recorded.</returns>
    ValueTask RecordAsync(ExecutionMetrics metrics, CancellationToken cancellationToken = default);
}
