using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Auditing;

/// <summary>
/// The facts an audit event's message and details are made from, kept instead of the text and JSON themselves: an
/// event's <see cref="AuditEvent.Message"/> and <see cref="AuditEvent.Details"/> are built from them the first time
/// either is read (by a sink, or anyone), once, and the event lets the facts go (the in-memory sink, which keeps the
/// facts themselves as its <see cref="KeptAuditEvent"/>, holds both once an event was read). A step event's details document was most of
/// what the audit trail cost a step (about 600 of its 1,000 bytes), and sinks that keep events without reading every
/// one (the in-memory default) never pay it. Secrets are redacted before the facts are kept, so no unredacted value
/// outlives the dispatcher.
/// </summary>
internal abstract class DeferredAuditContent
{
    /// <summary>Builds the message and details; called at most once per event.</summary>
    public abstract (string Message, JsonElement Details) Build();
}
