using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Orchestrator.Core.Auditing;

namespace Orchestrator.Core.Ports;

/// <summary>
/// One entry of the audit trail. Created by the orchestrator: details have their secrets redacted before a sink
/// sees them (parameters the plugin catalog marks sensitive, and keys such as <c>token</c>, <c>password</c>,
/// <c>secret</c>, <c>authorization</c>, <c>api_key</c>).
/// </summary>
public sealed record AuditEvent
{
    // A step event's message and details are made when first read (see DeferredAuditContent); until then _deferred
    // holds what they are made from. Reads after it is cleared see the fields it was replaced by (volatile publish).
    private DeferredAuditContent? _deferred;
    private string _message = string.Empty;
    private JsonElement _details;

    /// <summary>Creates an empty event, for object initialisers.</summary>
    public AuditEvent()
    {
    }

    /// <summary>An event whose message and details are built from <paramref name="deferred"/> when first read.</summary>
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Message and Details come from the deferred content (the backing field starts non-null).
    internal AuditEvent(AuditEventKind kind, AuditSeverity severity, DateTimeOffset timestamp, string executionId, DeferredAuditContent deferred)
    {
        Kind = kind;
        Severity = severity;
        Timestamp = timestamp;
        ExecutionId = executionId;
        _deferred = deferred;
    }
#pragma warning restore CS8618

    /// <summary>What happened.</summary>
    public required AuditEventKind Kind { get; init; }

    /// <summary>How serious it is.</summary>
    public required AuditSeverity Severity { get; init; }

    /// <summary>When it happened, from the orchestrator's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The run.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The workflow.</summary>
    public string? WorkflowId { get; init; }

    /// <summary>The agent (the workflow's id when the request named none).</summary>
    public string? AgentId { get; init; }

    /// <summary>The user the run acts for.</summary>
    public string? UserId { get; init; }

    /// <summary>The step, for step events (with its iteration key inside loops and scatters, such as <c>loop[2]/send</c>).</summary>
    public string? StepId { get; init; }

    /// <summary>A one-line description for people.</summary>
    public required string Message
    {
        get
        {
            Resolve();
            return _message;
        }

        init
        {
            // A copy made with `with` keeps the other half of deferred content: build it before replacing this half.
            Resolve();
            _message = value;
        }
    }

    /// <summary>Structured details (a JSON object, secrets redacted), or undefined when there are none.</summary>
    public JsonElement Details
    {
        get
        {
            Resolve();
            return _details;
        }

        init
        {
            Resolve();
            _details = value;
        }
    }

    /// <summary>
    /// The order of the event within its run (1, 2, ...): sinks see events in this order, and a store can sort by it
    /// when timestamps tie.
    /// </summary>
    public long Sequence { get; init; }

    /// <summary>
    /// Whether <paramref name="other"/> is the same event: every property equal, the details by their JSON content
    /// (<see cref="JsonElement.DeepEquals(JsonElement, JsonElement)"/>), whether or not the message and details of either
    /// event have been made yet. (The compiler's record equality compared the private fields the deferred content is
    /// kept in, so an event read once and its unread copy were not equal, and details were compared by document.)
    /// </summary>
    /// <param name="other">The event to compare with.</param>
    /// <returns><see langword="true"/> when both describe the same event.</returns>
    public bool Equals(AuditEvent? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && ReferenceEquals(Kind, other.Kind)
            && ReferenceEquals(Severity, other.Severity)
            && Timestamp == other.Timestamp
            && Sequence == other.Sequence
            && string.Equals(ExecutionId, other.ExecutionId, StringComparison.Ordinal)
            && string.Equals(WorkflowId, other.WorkflowId, StringComparison.Ordinal)
            && string.Equals(AgentId, other.AgentId, StringComparison.Ordinal)
            && string.Equals(UserId, other.UserId, StringComparison.Ordinal)
            && string.Equals(StepId, other.StepId, StringComparison.Ordinal)
            && string.Equals(Message, other.Message, StringComparison.Ordinal)
            && SameDetails(Details, other.Details));

    /// <summary>A hash of the event's identity (kind, time, run, step, sequence): the message and details are not made for it.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Kind, Severity, Timestamp, Sequence, ExecutionId, StepId);

    private static bool SameDetails(JsonElement left, JsonElement right) =>
        left.ValueKind == JsonValueKind.Undefined || right.ValueKind == JsonValueKind.Undefined
            ? left.ValueKind == right.ValueKind
            : JsonElement.DeepEquals(left, right);

    /// <summary>Builds deferred content once, whichever thread reads first; later reads see the built fields.</summary>
    private void Resolve()
    {
        var deferred = Volatile.Read(ref _deferred);
        if (deferred is null)
        {
            return;
        }

        lock (deferred)
        {
            if (_deferred is null)
            {
                return;
            }

            try
            {
                (_message, _details) = deferred.Build();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A bug in building one event's text must not throw into a sink that only reads it.
                _message = $"{Kind.Name}: the event's details could not be built ({ex.GetType().Name}: {ex.Message}).";
                _details = default;
            }

            Volatile.Write(ref _deferred, null);
        }
    }
}
