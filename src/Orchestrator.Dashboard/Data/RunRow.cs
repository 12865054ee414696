namespace Orchestrator.Dashboard.Data;

/// <summary>One line of the runs list.</summary>
internal sealed record RunRow(
    string ExecutionId,
    string? WorkflowName,
    string? AgentId,
    string UserId,
    string Status,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    long Tokens,
    decimal Cost,
    int PendingApprovals);
