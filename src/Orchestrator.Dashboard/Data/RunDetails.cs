using Orchestrator.Core.Ports;

namespace Orchestrator.Dashboard.Data;

/// <summary>Everything the run page shows.</summary>
internal sealed record RunDetails
{
    public required RunRow Summary { get; init; }

    public required StoredRun Stored { get; init; }

    /// <summary>The planner's Mermaid flowchart with a class per step status, or null when the stored definition cannot be planned.</summary>
    public string? Mermaid { get; init; }

    /// <summary>Why there is no graph.</summary>
    public IReadOnlyList<string> PlanProblems { get; init; } = [];

    public required IReadOnlyList<StepRow> Steps { get; init; }

    public required IReadOnlyList<ApprovalView> Approvals { get; init; }

    /// <summary>The run's audit trail, or null when no registered sink can be read back.</summary>
    public IReadOnlyList<AuditEvent>? Audit { get; init; }

    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>Why the run failed, was rejected or cancelled, as its audit trail says.</summary>
    public string? RunError { get; init; }
}
