using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Ports;

/// <summary>
/// What an audit event records, with its stable wire name (<c>ORCHESTRATOR_*</c>) and default severity. The set is
/// closed (no public constructor), so an event with an invalid name cannot be written; stores read names back with
/// <see cref="TryParse"/>. Wire names never change once shipped: stores and dashboards key on them.
/// </summary>
public sealed class AuditEventKind
{
    private static readonly List<AuditEventKind> Kinds = [];

    // What All hands out: a view a host cannot cast back to the list and extend, which would reopen the closed set.
    private static readonly ReadOnlyCollection<AuditEventKind> KindsView = Kinds.AsReadOnly();

    private AuditEventKind(string name, AuditSeverity severity)
    {
        Name = name;
        DefaultSeverity = severity;
        Kinds.Add(this);
    }

    /// <summary>A run started (<c>ORCHESTRATOR_EXECUTION_STARTED</c>).</summary>
    public static AuditEventKind ExecutionStarted { get; } = new("ORCHESTRATOR_EXECUTION_STARTED", AuditSeverity.Info);

    /// <summary>A run finished with every required step done (<c>ORCHESTRATOR_EXECUTION_COMPLETED</c>; warning when partially succeeded).</summary>
    public static AuditEventKind ExecutionCompleted { get; } = new("ORCHESTRATOR_EXECUTION_COMPLETED", AuditSeverity.Info);

    /// <summary>A run failed (<c>ORCHESTRATOR_EXECUTION_FAILED</c>).</summary>
    public static AuditEventKind ExecutionFailed { get; } = new("ORCHESTRATOR_EXECUTION_FAILED", AuditSeverity.Critical);

    /// <summary>A run was cancelled (<c>ORCHESTRATOR_EXECUTION_CANCELLED</c>).</summary>
    public static AuditEventKind ExecutionCancelled { get; } = new("ORCHESTRATOR_EXECUTION_CANCELLED", AuditSeverity.Warning);

    /// <summary>A run stopped to wait for approvals (<c>ORCHESTRATOR_EXECUTION_SUSPENDED</c>).</summary>
    public static AuditEventKind ExecutionSuspended { get; } = new("ORCHESTRATOR_EXECUTION_SUSPENDED", AuditSeverity.Info);

    /// <summary>A suspended run continued (<c>ORCHESTRATOR_EXECUTION_RESUMED</c>).</summary>
    public static AuditEventKind ExecutionResumed { get; } = new("ORCHESTRATOR_EXECUTION_RESUMED", AuditSeverity.Info);

    /// <summary>A run was refused before any step ran: invalid workflow or inputs, or the orchestrator disabled (<c>ORCHESTRATOR_EXECUTION_REJECTED</c>).</summary>
    public static AuditEventKind ExecutionRejected { get; } = new("ORCHESTRATOR_EXECUTION_REJECTED", AuditSeverity.Warning);

    /// <summary>A step succeeded (<c>ORCHESTRATOR_STEP_EXECUTED</c>).</summary>
    public static AuditEventKind StepExecuted { get; } = new("ORCHESTRATOR_STEP_EXECUTED", AuditSeverity.Info);

    /// <summary>A step failed (<c>ORCHESTRATOR_STEP_FAILED</c>).</summary>
    public static AuditEventKind StepFailed { get; } = new("ORCHESTRATOR_STEP_FAILED", AuditSeverity.Warning);

    /// <summary>A step was skipped (<c>ORCHESTRATOR_STEP_SKIPPED</c>).</summary>
    public static AuditEventKind StepSkipped { get; } = new("ORCHESTRATOR_STEP_SKIPPED", AuditSeverity.Info);

    /// <summary>A step was cancelled because the run stopped (<c>ORCHESTRATOR_STEP_CANCELLED</c>).</summary>
    public static AuditEventKind StepCancelled { get; } = new("ORCHESTRATOR_STEP_CANCELLED", AuditSeverity.Warning);

    /// <summary>A step attempt failed and is retried (<c>ORCHESTRATOR_STEP_RETRIED</c>).</summary>
    public static AuditEventKind StepRetried { get; } = new("ORCHESTRATOR_STEP_RETRIED", AuditSeverity.Warning);

    /// <summary>A step waits for a person's approval (<c>ORCHESTRATOR_STEP_SUSPENDED</c>).</summary>
    public static AuditEventKind StepSuspended { get; } = new("ORCHESTRATOR_STEP_SUSPENDED", AuditSeverity.Info);

    /// <summary>An approval decision was recorded (<c>ORCHESTRATOR_APPROVAL_RECORDED</c>).</summary>
    public static AuditEventKind ApprovalRecorded { get; } = new("ORCHESTRATOR_APPROVAL_RECORDED", AuditSeverity.Info);

    /// <summary>Memories were loaded into the run's prompts (<c>ORCHESTRATOR_MEMORY_INJECTED</c>).</summary>
    public static AuditEventKind MemoryInjected { get; } = new("ORCHESTRATOR_MEMORY_INJECTED", AuditSeverity.Info);

    /// <summary>The run's summary was saved to memory (<c>ORCHESTRATOR_MEMORY_SAVED</c>).</summary>
    public static AuditEventKind MemorySaved { get; } = new("ORCHESTRATOR_MEMORY_SAVED", AuditSeverity.Info);

    /// <summary>Loading or saving memory failed; the run went on without it (<c>ORCHESTRATOR_MEMORY_FAILED</c>).</summary>
    public static AuditEventKind MemoryFailed { get; } = new("ORCHESTRATOR_MEMORY_FAILED", AuditSeverity.Warning);

    /// <summary>The run reached its cost ceiling and was stopped (<c>ORCHESTRATOR_COST_LIMIT_REACHED</c>).</summary>
    public static AuditEventKind CostLimitReached { get; } = new("ORCHESTRATOR_COST_LIMIT_REACHED", AuditSeverity.Critical);

    /// <summary>The metrics sink failed to take the run's summary (<c>ORCHESTRATOR_METRICS_FAILED</c>).</summary>
    public static AuditEventKind MetricsFailed { get; } = new("ORCHESTRATOR_METRICS_FAILED", AuditSeverity.Warning);

    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<AuditEventKind> All => KindsView;

    /// <summary>The stable wire name, such as <c>ORCHESTRATOR_STEP_EXECUTED</c>.</summary>
    public string Name { get; }

    /// <summary>The severity events of this kind have unless the orchestrator raises it.</summary>
    public AuditSeverity DefaultSeverity { get; }

    /// <summary>Reads a wire name back (exact, case-sensitive: wire names are upper case).</summary>
    /// <param name="name">The name.</param>
    /// <param name="kind">The kind, when the name is one.</param>
    /// <returns>Whether <paramref name="name"/> names a kind.</returns>
    public static bool TryParse(string? name, [NotNullWhen(true)] out AuditEventKind? kind)
    {
        kind = Kinds.Find(k => string.Equals(k.Name, name, StringComparison.Ordinal));
        return kind is not null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
