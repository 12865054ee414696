using Orchestrator.Core.Execution;

namespace Orchestrator.Core.Ports;

/// <summary>An approver's decision as stored with the run; a later decision of the same approver replaces it.</summary>
/// <param name="Decision">The decision.</param>
/// <param name="DecidedAt">When it was recorded.</param>
public sealed record StoredApprovalDecision(ApprovalDecision Decision, DateTimeOffset DecidedAt);
