using Orchestrator.Core.Ports;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>The host's metrics store, for doc blocks: ignores what it is given.</summary>
public sealed class MyMetricsSink : IExecutionMetricsSink
{
    public ValueTask RecordAsync(ExecutionMetrics metrics, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
