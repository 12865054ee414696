using Orchestrator.Core.Ports;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>The host's audit store, for doc blocks: keeps the events it is given.</summary>
public sealed class MyAuditSink : IAuditSink
{
    private readonly List<AuditEvent> _events = [];

    public ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        lock (_events)
        {
            _events.AddRange(events);
        }

        return ValueTask.CompletedTask;
    }
}
