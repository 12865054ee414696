using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Dashboard.Data;

/// <summary>
/// Reads what the dashboard shows from the host's registered services: runs from the checkpoint store, audit trails
/// from the in-memory audit sinks. Says plainly what it cannot read (no store, a store that cannot list newest first,
/// sinks that cannot be read back) instead of failing.
/// </summary>
internal sealed class RunReader(IServiceProvider services, TimeProvider timeProvider)
{
    /// <summary>The filter values of the status list, in the order the page offers them.</summary>
    public static readonly IReadOnlyList<string> StatusFilters = ["running", "suspended", "finished", "succeeded", "partiallysucceeded", "failed", "cancelled", "rejected"];

    public const string NoStoreNotice = "No checkpoint store is registered, so there are no runs to list: register one with AddInMemoryCheckpointStore(), AddSqliteCheckpointStore(...) or AddPostgreSqlCheckpointStore(...) on AddWorkflowOrchestrator().";

    private ICheckpointStore? Store => services.GetService<ICheckpointStore>();

    private WorkflowOrchestratorOptions Options => services.GetService<IOptionsMonitor<WorkflowOrchestratorOptions>>()?.CurrentValue ?? new WorkflowOrchestratorOptions();

    /// <summary>Lists runs newest first, filtered by status (one of <see cref="StatusFilters"/>) and agent.</summary>
    public async ValueTask<RunListing> ListAsync(string? status, string? agent, int limit, CancellationToken cancellationToken)
    {
        if (Store is not { } store)
        {
            return new RunListing([], [NoStoreNotice]);
        }

        var notices = new List<string>();
        var (checkpointStatus, outcome) = ParseStatus(status);
        var ids = new List<string>();
        if (store is ICheckpointRunQuery query)
        {
            // A finished-outcome filter is applied after loading, so ask for more than the page shows.
            ids.AddRange(await query.ListRecentRunsAsync(checkpointStatus, agent, outcome is null ? limit : limit * 4, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            notices.Add($"The checkpoint store ({store.GetType().Name}) lists runs only by status, oldest first (ICheckpointStore.ListRunsAsync): up to {limit.ToString(CultureInfo.InvariantCulture)} runs of each status are read, so the newest finished runs may be missing. A store that implements ICheckpointRunQuery lists the newest first.");
            foreach (var each in checkpointStatus is { } one ? [one] : new[] { CheckpointStatus.Running, CheckpointStatus.Suspended, CheckpointStatus.Finished })
            {
                ids.AddRange(await store.ListRunsAsync(each, limit, cancellationToken).ConfigureAwait(false));
            }
        }

        var rows = new List<RunRow>(ids.Count);
        foreach (var id in ids)
        {
            if (await store.LoadAsync(id, cancellationToken).ConfigureAwait(false) is not { } run)
            {
                continue; // removed between the listing and the load
            }

            if ((agent is not null && !string.Equals(run.Run.AgentId, agent, StringComparison.Ordinal)) || (outcome is not null && run.Outcome != outcome))
            {
                continue;
            }

            rows.Add(Summarize(run));
        }

        return new RunListing([.. rows.OrderByDescending(r => r.StartedAt).ThenBy(r => r.ExecutionId, StringComparer.Ordinal).Take(limit)], notices);
    }

    /// <summary>A token that changes when the run changes, so an open page knows when to refresh.</summary>
    public async ValueTask<string?> VersionAsync(string executionId, CancellationToken cancellationToken)
    {
        if (Store is not { } store || await store.LoadAsync(executionId, cancellationToken).ConfigureAwait(false) is not { } run)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{run.Status}|{run.Outcome}|{run.UpdatedAt.UtcTicks}|{run.Steps.Count}|{run.ApprovalDecisions.Count}|{AuditOf(executionId)?.Count}");
    }

    /// <summary>Reads one run, or null when the store has none with that id (or there is no store).</summary>
    public async ValueTask<RunDetails?> LoadAsync(string executionId, CancellationToken cancellationToken)
    {
        if (Store is not { } store || await store.LoadAsync(executionId, cancellationToken).ConfigureAwait(false) is not { } run)
        {
            return null;
        }

        var options = Options;
        var notices = new List<string>();
        var problems = new List<string>();
        var loaded = WorkflowJson.Load(run.Run.DefinitionJson);
        ExecutionPlan? plan = null;
        if (loaded.Succeeded)
        {
            var planning = (services.GetService<WorkflowPlanner>() ?? new WorkflowPlanner()).Plan(loaded);
            plan = planning.Plan;
            problems.AddRange(planning.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
        }
        else
        {
            problems.AddRange(loaded.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
        }

        var last = new Dictionary<string, StepCheckpoint>(StringComparer.Ordinal);
        foreach (var record in run.Steps)
        {
            last[record.StepId] = record; // the last record of a step counts (an approval suspended, then escalated)
        }

        var audit = AuditOf(run.Run.ExecutionId);
        var steps = new List<StepRow>();
        var approvals = new List<ApprovalView>();
        var definitionSteps = loaded.Definition?.Steps.AsSpan().ToArray() ?? [];
        for (var i = 0; i < definitionSteps.Length; i++)
        {
            var step = definitionSteps[i];
            var nodeId = plan is not null && plan.TryGetStep(step.Id, out var planned) ? "n" + planned.Index.ToString(CultureInfo.InvariantCulture) : null;
            steps.Add(last.TryGetValue(step.Id, out var record)
                ? ToRow(step.Id, step.Type, nodeId, record, options)
                : FromAudit(step.Id, step.Type, nodeId, audit) ?? new StepRow { StepId = step.Id, Type = step.Type, NodeId = nodeId, Status = run.Status == CheckpointStatus.Finished ? "not run" : "not finished" });

            if (run.Status == CheckpointStatus.Suspended && step is HumanApprovalStep approval && record is { Status: StepStatus.Suspended, Approval: { } request })
            {
                approvals.Add(new ApprovalView
                {
                    ExecutionId = run.Run.ExecutionId,
                    StepId = step.Id,
                    Title = request.Title,
                    Message = request.Message,
                    RequestedAt = request.RequestedAt,
                    Escalated = request.Escalated,
                    Approvers = [.. request.Escalated ? approval.EscalateTo.AsSpan().ToArray() : approval.Approvers.AsSpan().ToArray()],
                    OpenToAnyone = options.AllowOpenApprovals,
                    RequireComment = approval.RequireComment,
                    ApprovalType = approval.ApprovalType == Core.Model.ApprovalType.All ? "all" : "any",
                    Decisions = [.. run.ApprovalDecisions.Where(d => d.Decision.StepId == step.Id)],
                });
            }
        }

        if (loaded.Definition is null)
        {
            // The definition cannot be read: show the records as they are.
            steps.AddRange(last.Values.Where(r => r.StepId != "$memory").Select(r => ToRow(r.StepId, "?", null, r, options)));
        }

        if (audit is null)
        {
            var sinks = services.GetServices<IAuditSink>().Select(s => s.GetType().Name).ToList();
            notices.Add(sinks.Count == 0
                ? "No audit sink is registered: there is no audit trail to show."
                : $"The registered audit sinks ({string.Join(", ", sinks)}) cannot be read back: the dashboard shows the trail of an InMemoryAuditSink only.");
        }

        return new RunDetails
        {
            Summary = Summarize(run),
            Stored = run,
            Mermaid = plan is null ? null : Colour(plan.ToMermaid(), steps),
            PlanProblems = problems,
            Steps = steps,
            Approvals = approvals,
            Audit = audit,
            Notices = notices,
            RunError = audit?.LastOrDefault(e => e.StepId is null && (e.Kind == AuditEventKind.ExecutionFailed || e.Kind == AuditEventKind.ExecutionRejected || e.Kind == AuditEventKind.ExecutionCancelled))?.Message,
        };
    }

    /// <summary>The approvals pending across suspended runs, newest run first.</summary>
    public async ValueTask<(IReadOnlyList<(RunRow Run, ApprovalView Approval)> Pending, IReadOnlyList<string> Notices)> PendingApprovalsAsync(int limit, CancellationToken cancellationToken)
    {
        var listing = await ListAsync("suspended", agent: null, limit, cancellationToken).ConfigureAwait(false);
        var pending = new List<(RunRow, ApprovalView)>();
        foreach (var row in listing.Runs)
        {
            if (await LoadAsync(row.ExecutionId, cancellationToken).ConfigureAwait(false) is { } details)
            {
                pending.AddRange(details.Approvals.Select(a => (details.Summary, a)));
            }
        }

        return (pending, listing.Notices);
    }

    /// <summary>
    /// The run's events from the first in-memory audit sink, in the order they were written, or null when none is
    /// registered. Not sorted by <see cref="AuditEvent.Sequence"/>: a run resumed from its checkpoint numbers its new
    /// events from 1 again, so write order is the order they happened in.
    /// </summary>
    public IReadOnlyList<AuditEvent>? AuditOf(string executionId) =>
        services.GetServices<IAuditSink>().OfType<InMemoryAuditSink>().FirstOrDefault() is { } sink
            ? [.. sink.Events.Where(e => e.ExecutionId == executionId)]
            : null;

    public static string StatusOf(StoredRun run) => run.Status switch
    {
        CheckpointStatus.Running => "running",
        CheckpointStatus.Suspended => "suspended",
        _ => (run.Outcome?.ToString() ?? "finished").ToLowerInvariant(),
    };

    private RunRow Summarize(StoredRun run)
    {
        long tokens = 0;
        decimal cost = 0;
        foreach (var record in run.Steps)
        {
            tokens += record.InputTokens + record.OutputTokens;
            cost += record.Cost;
        }

        // Wall-clock time from the start to the last status change (waits for approvals included); to now while running.
        var end = run.Status == CheckpointStatus.Running ? timeProvider.GetUtcNow() : run.UpdatedAt;
        var pending = run.Status == CheckpointStatus.Suspended
            ? run.Steps.GroupBy(s => s.StepId, StringComparer.Ordinal).Count(g => g.Last().Status == StepStatus.Suspended)
            : 0;
        return new RunRow(run.Run.ExecutionId, WorkflowName(run.Run.DefinitionJson), run.Run.AgentId, run.Run.UserId, StatusOf(run), run.Run.CreatedAt, end - run.Run.CreatedAt, tokens, cost, pending);
    }

    private static StepRow ToRow(string stepId, string type, string? nodeId, StepCheckpoint record, WorkflowOrchestratorOptions options) => new()
    {
        StepId = stepId,
        Type = type,
        NodeId = nodeId,
        Status = record.Status.ToString().ToLowerInvariant(),
        Attempts = record.Attempts,
        StartedAt = record.ExecutedAt == default ? null : record.ExecutedAt,
        Duration = record.ExecutionTime,
        InputTokens = record.InputTokens,
        OutputTokens = record.OutputTokens,
        Cost = record.Cost,
        Model = record.Model,
        Error = record.Error,
        ErrorCode = record.ErrorCode,
        SkipReason = record.SkipReason,
        CacheHit = record.CacheHit,
        UsedFallback = record.UsedFallback,
        Output = record.Data.ValueKind == JsonValueKind.Undefined ? default : AuditRedaction.Redact(record.Data, options.Audit),
    };

    /// <summary>
    /// A step the checkpoint holds no record of, as its last audit event tells it: the failure that ends a run is not
    /// checkpointed (a resume runs that step again), but it is audited.
    /// </summary>
    private static StepRow? FromAudit(string stepId, string type, string? nodeId, IReadOnlyList<AuditEvent>? audit)
    {
        var e = audit?.LastOrDefault(e => e.StepId == stepId && (e.Kind == AuditEventKind.StepExecuted || e.Kind == AuditEventKind.StepFailed
            || e.Kind == AuditEventKind.StepSkipped || e.Kind == AuditEventKind.StepCancelled || e.Kind == AuditEventKind.StepSuspended));
        if (e is null || e.Details.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var details = e.Details;
        var duration = details.TryGetProperty("duration_ms", out var ms) && ms.TryGetDouble(out var value) ? TimeSpan.FromMilliseconds(value) : (TimeSpan?)null;
        var failed = e.Kind == AuditEventKind.StepFailed;
        var prefix = "Step '" + stepId + "' failed: ";
        return new StepRow
        {
            StepId = stepId,
            Type = type,
            NodeId = nodeId,
            Status = details.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString()! : e.Kind.Name,
            Attempts = details.TryGetProperty("attempts", out var attempts) && attempts.TryGetInt32(out var count) ? count : 0,
            Duration = duration,
            StartedAt = duration is { } d ? e.Timestamp - d : null,
            InputTokens = details.TryGetProperty("input_tokens", out var input) && input.TryGetInt64(out var inTokens) ? inTokens : 0,
            OutputTokens = details.TryGetProperty("output_tokens", out var output) && output.TryGetInt64(out var outTokens) ? outTokens : 0,
            Cost = details.TryGetProperty("cost", out var cost) && cost.TryGetDecimal(out var price) ? price : 0,
            Model = details.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null,
            ErrorCode = failed && details.TryGetProperty("error_code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null,
            Error = failed ? (e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message) : null,
            SkipReason = e.Kind == AuditEventKind.StepSkipped ? e.Message : null,
        };
    }

    /// <summary>Adds a class per step status to the planner's flowchart, so the graph shows where the run stands.</summary>
    private static string Colour(string mermaid, IReadOnlyList<StepRow> steps)
    {
        var builder = new StringBuilder(mermaid);
        builder.Append("    classDef succeeded fill:#dcfce7,stroke:#15803d,color:#14532d\n")
            .Append("    classDef failed fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d\n")
            .Append("    classDef skipped fill:#f3f4f6,stroke:#9ca3af,color:#4b5563\n")
            .Append("    classDef suspended fill:#fef3c7,stroke:#b45309,color:#78350f\n")
            .Append("    classDef cancelled fill:#ede9fe,stroke:#6d28d9,color:#4c1d95\n");
        foreach (var group in steps.Where(s => s.NodeId is not null && s.Status is "succeeded" or "failed" or "skipped" or "suspended" or "cancelled").GroupBy(s => s.Status, StringComparer.Ordinal))
        {
            builder.Append("    class ").AppendJoin(',', group.Select(s => s.NodeId)).Append(' ').Append(group.Key).Append('\n');
        }

        return builder.ToString();
    }

    private static string? WorkflowName(string definitionJson)
    {
        try
        {
            using var document = JsonDocument.Parse(definitionJson);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("agent_name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null; // shown without a name; the run page says why its definition cannot be read
        }
    }

    private static (CheckpointStatus? Status, ExecutionStatus? Outcome) ParseStatus(string? status) => status switch
    {
        "running" => (CheckpointStatus.Running, null),
        "suspended" => (CheckpointStatus.Suspended, null),
        "finished" => (CheckpointStatus.Finished, null),
        "succeeded" => (CheckpointStatus.Finished, ExecutionStatus.Succeeded),
        "partiallysucceeded" => (CheckpointStatus.Finished, ExecutionStatus.PartiallySucceeded),
        "failed" => (CheckpointStatus.Finished, ExecutionStatus.Failed),
        "cancelled" => (CheckpointStatus.Finished, ExecutionStatus.Cancelled),
        "rejected" => (CheckpointStatus.Finished, ExecutionStatus.Rejected),
        _ => (null, null),
    };
}
