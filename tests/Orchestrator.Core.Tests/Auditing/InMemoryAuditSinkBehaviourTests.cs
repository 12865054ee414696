using Orchestrator.Core.Auditing;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Core.Tests.Auditing;

/// <summary>The shared audit sink behaviour against the in-memory reference sink.</summary>
public class InMemoryAuditSinkBehaviourTests : AuditSinkBehaviourTests
{
    private readonly InMemoryAuditSink _sink = new();

    protected override ValueTask<IAuditSink?> CreateSinkAsync() => ValueTask.FromResult<IAuditSink?>(_sink);

    protected override ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(string executionId) => ValueTask.FromResult(_sink.EventsOf(executionId));
}
