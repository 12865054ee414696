using Orchestrator.Core.Auditing;

namespace Orchestrator.Core.Ports;

/// <summary>
/// Receives the audit trail. Several sinks may be registered; each is fed from its own bounded buffer by one writer
/// at a time, in order, so a slow or failing sink never slows or breaks a run (see <see cref="AuditOptions"/>).
/// </summary>
public interface IAuditSink
{
    /// <summary>Writes a batch of events, in order.</summary>
    /// <param name="events">The events, oldest first; the list is not reused after the call returns.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the batch is written.</returns>
    ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default);
}
