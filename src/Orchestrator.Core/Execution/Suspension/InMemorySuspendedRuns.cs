using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution.Suspension;

/// <summary>
/// Suspended runs held in the orchestrator's memory (no checkpoint store): they live as long as the orchestrator, and
/// at most <see cref="WorkflowOrchestratorOptions.SuspendedRunRetention"/>, so abandoned approvals do not pile up.
/// </summary>
internal sealed class InMemorySuspendedRuns(TimeProvider timeProvider, ILogger logger) : ISuspendedRuns
{
    private readonly ConcurrentDictionary<string, SuspendedRun> _suspended = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask StartAsync(ExecutionPlan plan, StepScope scope, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask<(ExecutionStatus Status, ListRunOutcome Outcome)> FinishAsync(RunContext run, ExecutionStatus status, ListRunOutcome outcome) =>
        ValueTask.FromResult((status, outcome));

    /// <inheritdoc />
    public void Hold(ExecutionPlan plan, StepScope scope, long started)
    {
        var now = timeProvider.GetUtcNow();
        DropExpired(now);
        _suspended[scope.Run.ExecutionId] = new SuspendedRun(plan, scope, started, now + scope.Run.Runtime.Options.SuspendedRunRetention);
    }

    /// <inheritdoc />
    public RunContext? Peek(string executionId) => _suspended.TryGetValue(executionId, out var waiting) ? waiting.Run : null;

    /// <inheritdoc />
    public ValueTask<ResumedRun> TakeAsync(string executionId, ResumeOptions? options, Func<OrchestratorRuntime?> currentRuntime, CancellationToken cancellationToken)
    {
        if (options?.Definition is not null || !TryGet(executionId, out var suspended) || !_suspended.TryRemove(new KeyValuePair<string, SuspendedRun>(executionId, suspended)))
        {
            throw new InvalidOperationException(options?.Definition is null
                ? $"No suspended run has the id '{executionId}'."
                : "Resuming on another definition needs a checkpoint store.");
        }

        return ValueTask.FromResult(new ResumedRun(suspended.Plan, suspended.Scope, null, null, Started: suspended.Started));
    }

    /// <inheritdoc />
    public ValueTask<WaitingApproval?> FindApprovalAsync(ApprovalDecision decision, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryGet(decision.ExecutionId, out var suspended) && suspended.Run.Approvals.TryGetValue(decision.StepId, out var state)
            ? new WaitingApproval(state, suspended.Run)
            : null);

    /// <inheritdoc />
    public async ValueTask KeepDecisionAsync(WaitingApproval waiting, ApprovalDecision decision, CancellationToken cancellationToken)
    {
        var run = waiting.HeldRun!;
        if (run.Audit is { } previous)
        {
            // The suspended segment's trail is closed: the decision gets a short trail of its own, numbered on.
            run.Audit = new AuditTrail(run.Runtime.Host.AuditSinks, run.Runtime.Redactor, run.Runtime.Options.Audit, timeProvider, logger, run.ExecutionId, previous.WorkflowId, previous.AgentId, run.UserId, previous.LastSequence);
        }

        run.Audit?.Write(
            AuditEventKind.ApprovalRecorded,
            $"'{decision.Approver}' {(decision.Approved ? "approved" : "rejected")} step '{decision.StepId}'.",
            (decision.Approver, decision.Approved),
            static (writer, decision) =>
            {
                writer.WriteStartObject();
                writer.WriteString("approver", decision.Approver);
                writer.WriteBoolean("approved", decision.Approved);
                writer.WriteEndObject();
            },
            decision.StepId);
        if (run.Audit is { } trail)
        {
            foreach (var warning in await trail.CompleteAsync().ConfigureAwait(false))
            {
                run.Warnings.Enqueue(warning);
            }
        }
    }

    /// <summary>A run held here that has not outlived its retention; an expired one is dropped.</summary>
    private bool TryGet(string executionId, [NotNullWhen(true)] out SuspendedRun? suspended)
    {
        if (_suspended.TryGetValue(executionId, out suspended))
        {
            if (suspended.ExpiresAt > timeProvider.GetUtcNow())
            {
                return true;
            }

            _suspended.TryRemove(new KeyValuePair<string, SuspendedRun>(executionId, suspended));
            suspended = null;
        }

        return false;
    }

    /// <summary>Drops the runs held longer than their retention.</summary>
    private void DropExpired(DateTimeOffset now)
    {
        foreach (var entry in _suspended)
        {
            if (entry.Value.ExpiresAt <= now)
            {
                _suspended.TryRemove(entry);
            }
        }
    }

    private sealed record SuspendedRun(ExecutionPlan Plan, StepScope Scope, long Started, DateTimeOffset ExpiresAt)
    {
        public RunContext Run => Scope.Run;
    }
}
