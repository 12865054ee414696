namespace Orchestrator.Core.Ports;

/// <summary>The state of an approval request of a suspended run (its decisions are stored apart, as they arrive).</summary>
/// <param name="RequestedAt">When the request was made (or escalated); its timeout counts from here.</param>
/// <param name="Escalated">Whether it went to <c>escalateTo</c> after a timeout.</param>
/// <param name="Title">The rendered title.</param>
/// <param name="Message">The rendered message.</param>
public sealed record ApprovalCheckpoint(DateTimeOffset RequestedAt, bool Escalated, string? Title, string? Message);
