using System.Text.Json;

namespace Orchestrator.Core.Auditing;

/// <summary>
/// One entry of the audit trail. Created by the orchestrator: details have their secrets redacted before a sink
/// sees them (parameters the plugin catalog marks sensitive, and keys such as <c>token</c>, <c>password</c>,
/// <c>secret</c>, <c>authorization</c>, <c>api_key</c>).
/// </summary>
public sealed record AuditEvent
{
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
    public required string Message { get; init; }

    /// <summary>Structured details (a JSON object, secrets redacted), or undefined when there are none.</summary>
    public JsonElement Details { get; init; }

    /// <summary>
    /// The order of the event within its run (1, 2, ...): sinks see events in this order, and a store can sort by it
    /// when timestamps tie.
    /// </summary>
    public long Sequence { get; init; }
}
