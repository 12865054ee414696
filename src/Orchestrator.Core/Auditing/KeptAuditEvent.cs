using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Auditing;

/// <summary>
/// An audit event as the audit trail captured it, numbered and with its secrets redacted, whose public
/// <see cref="AuditEvent"/> is made only when first asked for. The in-memory sink keeps these instead of events, so an
/// event nobody reads costs one object instead of two (the event and the facts it is built from): most of what keeping
/// ten thousand step events cost the collector.
/// </summary>
internal abstract class KeptAuditEvent : DeferredAuditContent
{
    /// <summary>The run the event belongs to.</summary>
    public abstract string ExecutionId { get; }

    /// <summary>The event's number within its run.</summary>
    public abstract long Sequence { get; }

    /// <summary>The event, made on first read and the same object on every read after.</summary>
    public abstract AuditEvent Event { get; }
}
