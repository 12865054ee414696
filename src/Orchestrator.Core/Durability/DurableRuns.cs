using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Suspension;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Durability;

/// <summary>
/// The orchestrator's side of a checkpoint store: stores a run's header when it starts, attaches the run's
/// <see cref="CheckpointWriter"/>, records how it ended, rebuilds a run from its checkpoint to resume it, and records
/// approval decisions for suspended runs, which live only in the store.
/// </summary>
internal sealed class DurableRuns : ISuspendedRuns
{
    /// <summary>The canonical JSON and hash of each definition, made once per definition instance.</summary>
    private readonly ConditionalWeakTable<WorkflowDefinition, Tuple<string, string>> _definitions = [];

    /// <summary>Runs this orchestrator is running now, so one is never resumed twice at once in this process.</summary>
    private readonly ConcurrentDictionary<string, byte> _active = new(StringComparer.Ordinal);
    private readonly WorkflowPlanner _planner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DurableRuns(ICheckpointStore store, WorkflowPlanner planner, TimeProvider time, ILogger logger)
    {
        Store = store;
        _planner = planner;
        _time = time;
        _logger = logger;
    }

    public ICheckpointStore Store { get; }

    /// <summary>The least time between two retention sweeps of the store.</summary>
    internal static readonly TimeSpan RetentionSweepInterval = TimeSpan.FromHours(1);

    /// <summary>When the next retention sweep may run, as UTC ticks; 0 before the first.</summary>
    private long _nextSweep;

    /// <summary>
    /// Applies <see cref="WorkflowOrchestratorOptions.CheckpointRetention"/>: after a run finishes, at most once per
    /// <see cref="RetentionSweepInterval"/>, removes the runs that finished longer ago than the retention. Bounded by
    /// <see cref="WorkflowOrchestratorOptions.SideCallTimeout"/>; a failure is logged and never touches the run.
    /// </summary>
    private async ValueTask ApplyRetentionAsync(RunContext run)
    {
        var options = run.Runtime.Options;
        if (options.CheckpointRetention is not { } retention)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var next = Interlocked.Read(ref _nextSweep);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweep, (now + RetentionSweepInterval).UtcTicks, next) != next)
        {
            return; // Swept recently, or another run is sweeping now.
        }

        try
        {
            var finishedBefore = now - retention;
            var removed = await SideCalls.BoundAsync(Store.DeleteExpiredAsync(finishedBefore), options.SideCallTimeout, _time, CancellationToken.None).ConfigureAwait(false);
            if (removed > 0)
            {
                DurabilityLog.CheckpointsExpired(_logger, removed, finishedBefore);
            }
        }
        catch (Exception ex)
        {
            DurabilityLog.CheckpointRetentionFailed(_logger, ex);
        }
    }

    /// <summary>
    /// Stores a new run's header and attaches its writer. When the header cannot be stored, the writer starts failed:
    /// no step starts, and the run ends <c>CHECKPOINT_FAILED</c>.
    /// </summary>
    public async ValueTask StartAsync(ExecutionPlan plan, StepScope scope, CancellationToken cancellationToken)
    {
        var run = scope.Run;
        var (json, hash) = Canonical(plan.Definition);
        Exception? failure = null;
        var claimed = _active.TryAdd(run.ExecutionId, 0);
        if (!claimed)
        {
            failure = new InvalidOperationException($"The run '{run.ExecutionId}' is already running in this orchestrator.");
        }
        else
        {
            try
            {
                await Store.CreateRunAsync(
                    new RunCheckpoint
                    {
                        ExecutionId = run.ExecutionId,
                        WorkflowId = plan.Definition.Id,
                        DefinitionJson = json,
                        DefinitionHash = hash,
                        Inputs = run.Inputs,
                        UserId = run.UserId,
                        AgentId = run.AgentId,
                        CreatedAt = run.Now,
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }

        Attach(scope, failure, claimed, cancellationToken);
    }

    /// <summary>
    /// Waits for the run's records to be stored and records how the run ended (suspended runs stay resumable). When
    /// checkpointing failed, the run fails with <c>CHECKPOINT_FAILED</c> and its stored status stays running, so what
    /// was stored can still be resumed.
    /// </summary>
    public async ValueTask<(ExecutionStatus Status, ListRunOutcome Outcome)> FinishAsync(RunContext run, ExecutionStatus status, ListRunOutcome outcome)
    {
        if (run.Checkpoints is null)
        {
            return (status, outcome);
        }

        (status, outcome) = await FlushAsync(run, status, outcome).ConfigureAwait(false);
        if (status != ExecutionStatus.Suspended)
        {
            await ApplyRetentionAsync(run).ConfigureAwait(false);
        }

        return (status, outcome);
    }

    /// <summary>A suspended run is in the store already (<see cref="FinishAsync"/> stored its status): nothing to hold.</summary>
    public void Hold(ExecutionPlan plan, StepScope scope, long started)
    {
    }

    /// <summary>Runs in a store are not read to name a refused resumption: null.</summary>
    public RunContext? Peek(string executionId) => null;

    /// <summary>Loads a checkpointed run to continue it on the orchestrator's current runtime (see <see cref="LoadAsync"/>).</summary>
    public ValueTask<ResumedRun> TakeAsync(string executionId, ResumeOptions? options, Func<OrchestratorRuntime?> currentRuntime, CancellationToken cancellationToken) =>
        currentRuntime() is { } runtime
            ? LoadAsync(executionId, options, runtime, cancellationToken)
            : throw new InvalidOperationException($"No suspended run has the id '{executionId}'."); // Disabled meanwhile: the run stays in the store.

    /// <summary>The approval state of a run suspended in the store, rebuilt from its request and the decisions stored so far.</summary>
    public async ValueTask<WaitingApproval?> FindApprovalAsync(ApprovalDecision decision, CancellationToken cancellationToken)
    {
        var stored = await Store.LoadAsync(decision.ExecutionId, cancellationToken).ConfigureAwait(false);
        var request = stored?.Steps.LastOrDefault(s => s.StepId == decision.StepId);
        if (stored is not { Status: CheckpointStatus.Suspended } || request is not { Status: StepStatus.Suspended, Approval: { } approval }
            || WorkflowJson.Load(stored.Run.DefinitionJson).Definition?.Steps.FirstOrDefault(s => s.Id == decision.StepId) is not HumanApprovalStep step)
        {
            return null;
        }

        return new WaitingApproval(Restore(step, approval, stored.ApprovalDecisions), HeldRun: null);
    }

    /// <summary>Stores the decision, so the process that resumes the run finds it.</summary>
    public ValueTask KeepDecisionAsync(WaitingApproval waiting, ApprovalDecision decision, CancellationToken cancellationToken) =>
        Store.AddApprovalDecisionAsync(new StoredApprovalDecision(decision, _time.GetUtcNow()), cancellationToken);

    private async ValueTask<(ExecutionStatus Status, ListRunOutcome Outcome)> FlushAsync(RunContext run, ExecutionStatus status, ListRunOutcome outcome)
    {
        var writer = run.Checkpoints!;
        try
        {
            var failure = await writer.FlushAsync().ConfigureAwait(false);
            if (failure is null)
            {
                try
                {
                    var stored = status == ExecutionStatus.Suspended ? CheckpointStatus.Suspended : CheckpointStatus.Finished;
                    await Store.SetStatusAsync(run.ExecutionId, stored, stored == CheckpointStatus.Finished ? status : null, run.Now, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            }

            if (failure is null)
            {
                return (status, outcome);
            }

            DurabilityLog.CheckpointFailed(_logger, run.ExecutionId, failure);
            return (ExecutionStatus.Failed, new ListRunOutcome(
                ListRunStatus.Failed,
                $"The run's checkpoint could not be stored ({failure.GetType().Name}: {failure.Message}); the run stopped, and the steps stored before stay stored for a resume.",
                CheckpointErrorCodes.CheckpointFailed,
                null));
        }
        finally
        {
            writer.Dispose();
            if (writer.ClaimedRun)
            {
                _active.TryRemove(run.ExecutionId, out _);
            }
        }
    }

    /// <summary>
    /// Rebuilds a checkpointed run: its stored definition re-loaded and planned (its hash checked), its finished steps'
    /// records seeded so they are not run again, its approvals' requests and decisions restored.
    /// </summary>
    public async ValueTask<ResumedRun> LoadAsync(string executionId, ResumeOptions? options, OrchestratorRuntime runtime, CancellationToken cancellationToken)
    {
        var stored = await Store.LoadAsync(executionId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"No suspended or checkpointed run has the id '{executionId}'.");
        var header = stored.Run;
        if (!string.Equals(DefinitionHash.Compute(header.DefinitionJson), header.DefinitionHash, StringComparison.Ordinal))
        {
            return Refused($"The stored definition of run '{executionId}' does not match its stored hash {header.DefinitionHash}: the checkpoint was altered.", CheckpointErrorCodes.CheckpointCorrupt);
        }

        WorkflowDefinition definition;
        var changed = false;
        if (options?.Definition is { } given && DefinitionChangeRule.IsChange(header.DefinitionHash, Canonical(given).Hash))
        {
            if (DefinitionChangeRule.Refusal(executionId, header.DefinitionHash, Canonical(given).Hash, options.AllowDefinitionChange) is { } refusal)
            {
                return Refused(refusal, CheckpointErrorCodes.DefinitionChanged);
            }

            definition = given;
            changed = true;
        }
        else
        {
            var loaded = WorkflowJson.Load(header.DefinitionJson);
            if (!loaded.Succeeded)
            {
                return Refused($"The stored definition of run '{executionId}' cannot be read: {string.Join("; ", loaded.Diagnostics.Where(d => d.IsError))}", CheckpointErrorCodes.CheckpointCorrupt);
            }

            definition = loaded.Definition!;
        }

        var planning = _planner.Plan(definition);
        if (planning.Plan is not { } plan)
        {
            return Refused("The workflow cannot be planned: " + string.Join("; ", planning.Diagnostics.Where(d => d.IsError)), "INVALID_WORKFLOW");
        }

        if (stored.Status == CheckpointStatus.Finished)
        {
            // Idempotent resume: a host resuming after a crash may find the run already finished (the crash came after
            // its end); it gets the stored result, and nothing runs or is written again.
            var finished = new RunContext(runtime, executionId, new WorkflowExecutionRequest { UserId = header.UserId, AgentId = header.AgentId, ExecutionId = executionId }, header.Inputs, events: null);
            var finishedScope = new StepScope(finished, plan, null, string.Empty) { Usage = finished.Usage };
            _ = Seed(stored, plan, finishedScope);
            return new ResumedRun(plan, finishedScope, null, null, stored.Outcome ?? ExecutionStatus.Failed);
        }

        if (!_active.TryAdd(executionId, 0))
        {
            throw new InvalidOperationException($"The run '{executionId}' is already running in this orchestrator.");
        }

        try
        {
            if (changed)
            {
                var (json, hash) = Canonical(definition);
                await Store.UpdateDefinitionAsync(executionId, json, hash, cancellationToken).ConfigureAwait(false);
            }

            await Store.SetStatusAsync(executionId, CheckpointStatus.Running, null, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _active.TryRemove(executionId, out _);
            throw;
        }

        var run = new RunContext(runtime, executionId, new WorkflowExecutionRequest { UserId = header.UserId, AgentId = header.AgentId, ExecutionId = executionId }, header.Inputs, events: null);
        var scope = new StepScope(run, plan, null, string.Empty) { Usage = run.Usage };
        var restored = Seed(stored, plan, scope);
        Attach(scope, startFailure: null, claimed: true, cancellationToken);
        DurabilityLog.RunResumed(_logger, executionId, restored);
        return new ResumedRun(plan, scope, null, null);
    }

    private static ResumedRun Refused(string error, string code) => new(null, null, error, code);

    private void Attach(StepScope scope, Exception? startFailure, bool claimed, CancellationToken cancellationToken) =>
        scope.Run.Checkpoints = new CheckpointWriter(Store, scope, startFailure, cancellationToken) { ClaimedRun = claimed };

    /// <summary>Seeds the records of finished steps (the last record of each counts) and the approvals' states.</summary>
    private static int Seed(StoredRun stored, ExecutionPlan plan, StepScope scope)
    {
        var last = new Dictionary<string, StepCheckpoint>(StringComparer.Ordinal);
        foreach (var step in stored.Steps)
        {
            last[step.StepId] = step;
        }

        if (last.Remove(CheckpointWriter.MemoryRecordId, out var memory))
        {
            scope.Run.Memory = memory.Data;
            if (memory.Data.ValueKind == System.Text.Json.JsonValueKind.Object
                && memory.Data.TryGetProperty("context", out var context) && memory.Data.TryGetProperty("tokens", out var tokens)
                && memory.Data.TryGetProperty("run_entries", out var runs) && memory.Data.TryGetProperty("user_entries", out var users))
            {
                scope.Run.InjectedMemory = new Memory.InjectedMemory(context.GetString() ?? string.Empty, tokens.GetInt32(), runs.GetInt32(), users.GetInt32(), []);
            }
        }

        var restored = 0;
        foreach (var (stepId, checkpoint) in last)
        {
            // A step the (changed) definition no longer has is left out.
            if (!plan.TryGetStep(stepId, out var planned))
            {
                continue;
            }

            if (checkpoint.Status == StepStatus.Suspended)
            {
                if (planned.Step is HumanApprovalStep approvalStep && checkpoint.Approval is { } approval)
                {
                    scope.Run.Approvals[stepId] = Restore(approvalStep, approval, stored.ApprovalDecisions);
                }

                continue;
            }

            scope.Records[planned.Index] = StepRecord.FromCheckpoint(planned.Step, scope.Usage, checkpoint);
            restored++;
        }

        return restored;
    }

    private static ApprovalState Restore(HumanApprovalStep step, ApprovalCheckpoint approval, IReadOnlyList<StoredApprovalDecision> decisions)
    {
        var state = new ApprovalState(step, approval.RequestedAt, approval.Title, approval.Message);
        if (approval.Escalated)
        {
            state.Escalate(approval.RequestedAt);
        }

        foreach (var stored in decisions)
        {
            if (string.Equals(stored.Decision.StepId, step.Id, StringComparison.Ordinal))
            {
                state.Record(stored.Decision);
            }
        }

        return state;
    }

    private (string Json, string Hash) Canonical(WorkflowDefinition definition)
    {
        var entry = _definitions.GetValue(definition, static d =>
        {
            var json = WorkflowJson.Serialize(d);
            return Tuple.Create(json, DefinitionHash.Compute(json));
        });
        return (entry.Item1, entry.Item2);
    }
}
