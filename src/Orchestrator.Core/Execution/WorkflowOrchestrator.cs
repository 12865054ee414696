using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Suspension;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Telemetry;
using Polly;

namespace Orchestrator.Core.Execution;

/// <summary>
/// The orchestrator: plans (when given a definition) and runs workflows through the step pipeline, reporting an honest
/// status. Thread-safe; one instance serves many concurrent runs. Built by <see cref="WorkflowOrchestratorBuilder"/>, or
/// by <c>AddWorkflowOrchestrator()</c> in a service container. Suspended runs are held in memory, or with a checkpoint
/// store in the store (see docs/durability.md).
/// </summary>
public sealed class WorkflowOrchestrator : IWorkflowOrchestrator
{
    private readonly Func<WorkflowOrchestratorOptions> _options;
    private readonly Func<WorkflowOrchestratorOptions, OrchestratorRuntime> _createRuntime;
    private readonly TimeProvider _timeProvider;
    private readonly WorkflowPlanner _planner;
    private readonly ILogger _logger;
    private readonly HostServices _host;
    private readonly ISuspendedRuns _suspended;
    private RuntimeState _state;

    /// <summary>
    /// Creates an orchestrator that reads its options from <paramref name="options"/> at the start of every run. Only
    /// <see cref="WorkflowOrchestratorBuilder.Build"/> calls it, so there is one way to build one.
    /// </summary>
    internal WorkflowOrchestrator(
        Func<WorkflowOrchestratorOptions> options,
        IPluginExecutor pluginExecutor,
        ILlmClient llmClient,
        TimeProvider timeProvider,
        IWorkflowRegistry? workflowRegistry,
        IStepResultCache cache,
        IReadOnlyList<IStepMiddleware> middleware,
        IReadOnlyDictionary<string, ResiliencePipeline<StepOutcome>> pluginPipelines,
        WorkflowPlanner planner,
        ILogger logger,
        HostServices host,
        ISuspendedRuns suspended)
    {
        _options = options;
        _host = host;
        _logger = logger;
        _timeProvider = timeProvider;
        _planner = planner;
        _suspended = suspended;
        _createRuntime = snapshot => new OrchestratorRuntime(snapshot, pluginExecutor, llmClient, workflowRegistry, cache, timeProvider, middleware, pluginPipelines, planner, logger, host);
        var current = options();
        current.Validate();
        _state = new RuntimeState(current, _createRuntime(current.Snapshot()));
    }

    /// <inheritdoc />
    public ValueTask<WorkflowExecutionResult> ExecuteAsync(WorkflowDefinition definition, WorkflowExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        if (!_options().Enabled)
        {
            return RejectAsync(Disabled(request.ExecutionId), request, definition.Id);
        }

        var planning = _planner.Plan(definition);
        if (planning.Plan is null)
        {
            var errors = planning.Diagnostics.Where(d => d.IsError).Select(d => d.ToString());
            return RejectAsync(Rejected(request, "The workflow cannot be planned: " + string.Join("; ", errors), "INVALID_WORKFLOW"), request, definition.Id);
        }

        return ExecuteAsync(planning.Plan, request, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<WorkflowExecutionResult> ExecuteAsync(ExecutionPlan plan, WorkflowExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(plan, request, events: null, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExecutionEvent> ExecuteStreamingAsync(ExecutionPlan plan, WorkflowExecutionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        // Bounded, so a consumer that falls behind cannot make the run buffer without end: see RunContext.Emit for the rule.
        var channel = Channel.CreateBounded<ExecutionEvent>(new BoundedChannelOptions(_options().StreamingBufferCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        // A consumer that stops reading (breaks out, or disposes the enumerator) stops the run: nobody would see what
        // further steps do, and they may have effects. The run is awaited, so nothing is left running unobserved.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var consumerGone = new CancellationTokenSource();
        var run = RunAndCompleteAsync(plan, request, channel.Writer, stop.Token, consumerGone.Token);
        try
        {
            await foreach (var @event in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return @event;
            }
        }
        finally
        {
            if (!run.IsCompleted)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await consumerGone.CancelAsync().ConfigureAwait(false); // Nobody reads: the final event must not wait for room.
            }

            await run.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> SubmitApprovalAsync(ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);

        // The current policy: withdrawing open approvals applies at once, also to runs already suspended.
        return await ApprovalRules.DecideAsync(_suspended, decision, _options().AllowOpenApprovals, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<WorkflowExecutionResult> ResumeAsync(string executionId, CancellationToken cancellationToken = default) =>
        ResumeAsync(executionId, options: null, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<WorkflowExecutionResult> ResumeAsync(string executionId, ResumeOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        if (!_options().Enabled)
        {
            // The run stays suspended, so it can be resumed once the orchestrator is enabled again.
            return _suspended.Peek(executionId) is { } waiting
                ? await RejectAsync(Disabled(executionId), new WorkflowExecutionRequest { UserId = waiting.UserId, AgentId = waiting.AgentId, ExecutionId = executionId }, waiting.WorkflowId, waiting.Audit?.LastSequence ?? 0).ConfigureAwait(false)
                : await RejectAsync(Disabled(executionId), new WorkflowExecutionRequest { UserId = string.Empty, ExecutionId = executionId }, null).ConfigureAwait(false);
        }

        var resumed = await _suspended.TakeAsync(executionId, options, CurrentRuntime, cancellationToken).ConfigureAwait(false);
        return resumed.Scope is null
            ? Rejected(executionId, resumed.Error!, resumed.ErrorCode!)
            : resumed.Finished is { } outcome
            ? StoredResult(resumed.Plan!, resumed.Scope, outcome)
            : await ContinueAsync(resumed.Plan!, resumed.Scope, resumed.Started ?? _timeProvider.GetTimestamp(), resumed: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The result of a run that had finished before it was resumed, rebuilt from its stored step records.</summary>
    private static WorkflowExecutionResult StoredResult(ExecutionPlan plan, StepScope scope, ExecutionStatus status)
    {
        var warnings = new List<string> { $"The run '{scope.Run.ExecutionId}' had already finished ({status}): this is its stored result; nothing ran again." };
        var steps = new Dictionary<string, StepResult>(plan.Steps.Count, StringComparer.Ordinal);
        foreach (var planned in plan.Steps)
        {
            var record = scope.Records[planned.Index] ?? new StepRecord(planned.Step, scope.Usage);
            steps[planned.Id] = record.ToResult();
        }

        var failed = status is ExecutionStatus.Failed ? scope.Records.FirstOrDefault(r => r is { Status: StepStatus.Failed }) : null;
        return new WorkflowExecutionResult
        {
            ExecutionId = scope.Run.ExecutionId,
            Status = status,
            Steps = steps,
            Output = OutputBuilder.Build(plan, scope, status is ExecutionStatus.Succeeded or ExecutionStatus.PartiallySucceeded ? warnings : null),
            Usage = RunLifecycle.Usage(scope.Run, warnings),
            // Only steps that succeeded (or failed tolerably) are stored: the error of a failed run may not be.
            Error = failed?.Error ?? (status is ExecutionStatus.Succeeded or ExecutionStatus.PartiallySucceeded ? null : warnings[0]),
            ErrorCode = failed?.ErrorCode,
            Warnings = warnings,
        };
    }

    private async Task RunAndCompleteAsync(ExecutionPlan plan, WorkflowExecutionRequest request, ChannelWriter<ExecutionEvent> events, CancellationToken cancellationToken, CancellationToken consumerGone)
    {
        try
        {
            var result = await RunAsync(plan, request, events, cancellationToken).ConfigureAwait(false);

            // The final event waits for room while the consumer reads; once it stopped reading, nobody would see it.
            var finished = new ExecutionFinishedEvent(result.ExecutionId, _timeProvider.GetUtcNow(), result);
            if (!events.TryWrite(finished))
            {
                await events.WriteAsync(finished, consumerGone).ConfigureAwait(false);
            }

            events.TryComplete();
        }
        catch (Exception ex)
        {
            events.TryComplete(ex);
        }
    }

    private async ValueTask<WorkflowExecutionResult> RunAsync(ExecutionPlan plan, WorkflowExecutionRequest request, ChannelWriter<ExecutionEvent>? events, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        if (CurrentRuntime() is not { } runtime)
        {
            return await RejectAsync(Disabled(request.ExecutionId), request, plan.Definition.Id).ConfigureAwait(false);
        }

        if (!runtime.Options.AllowOpenApprovals && OpenApprovals.Find(plan) is { } open)
        {
            return await RejectAsync(Rejected(request, $"The workflow cannot be planned: {OpenApprovals.ErrorCode}: approval step '{open.Step.Id}' at {open.JsonPath} lists no approvers, so anyone could decide it; list its approvers, or allow open approvals on the host ({nameof(WorkflowOrchestratorOptions)}.{nameof(WorkflowOrchestratorOptions.AllowOpenApprovals)}).", "INVALID_WORKFLOW"), request, plan.Definition.Id).ConfigureAwait(false);
        }

        var (inputs, inputError) = InputValidator.Validate(plan.Definition, request.Inputs);
        if (inputError is not null)
        {
            return await RejectAsync(Rejected(request, "The inputs are invalid: " + inputError, "INVALID_INPUT"), request, plan.Definition.Id).ConfigureAwait(false);
        }

        var executionId = request.ExecutionId ?? Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var run = new RunContext(runtime, executionId, request, inputs, events) { WorkflowId = RunLifecycle.WorkflowOf(plan) };
        var scope = new StepScope(run, plan, null, string.Empty) { Usage = run.Usage };
        await _suspended.StartAsync(plan, scope, cancellationToken).ConfigureAwait(false);

        return await ContinueAsync(plan, scope, started, resumed: false, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<WorkflowExecutionResult> ContinueAsync(ExecutionPlan plan, StepScope scope, long started, bool resumed, CancellationToken cancellationToken)
    {
        var run = scope.Run;
        var runtime = run.Runtime;
        var agentId = RunLifecycle.AgentOf(run, plan);
        if (runtime.Host.AuditSinks.Count > 0)
        {
            // Each segment of a run (its start, each resumption) has its own trail, numbered on from the last one.
            run.Audit = new AuditTrail(runtime.Host.AuditSinks, runtime.Redactor, runtime.Options.Audit, _timeProvider, _logger, run.ExecutionId, RunLifecycle.WorkflowOf(plan), agentId, run.UserId, run.Audit?.LastSequence ?? 0);
        }

        Log.RunStarted(_logger, run.ExecutionId, plan.Definition.Id, plan.Steps.Count);
        using var activity = OrchestratorTelemetry.StartRun(run.ExecutionId, run.AgentId, plan.Definition.Id);
        if (resumed)
        {
            run.Audit?.Write(AuditEventKind.ExecutionResumed, $"Run of workflow '{plan.Definition.Id}' resumed.");
        }
        else
        {
            run.Audit?.RunStarted(run.Inputs, plan.Steps.Count);
            await RunLifecycle.InjectMemoryAsync(run, agentId, cancellationToken).ConfigureAwait(false);
            if (run.InjectedMemory is { Entries: > 0 })
            {
                run.Checkpoints?.MemoryInjected(run.Memory);
            }
        }

        var runToken = run.Checkpoints?.Token ?? cancellationToken;
        var running = PlanRunner.RunAsync(scope, runtime.Options.MaxParallelism, runToken);
        var abandoned = false;
        ListRunOutcome outcome;
        if (running.IsCompletedSuccessfully)
        {
            outcome = running.Result;
        }
        else
        {
            (outcome, abandoned) = await AwaitStepsAsync(run, running, runToken).ConfigureAwait(false);
        }

        var status = outcome.Status switch
        {
            ListRunStatus.Failed => ExecutionStatus.Failed,
            ListRunStatus.Cancelled => ExecutionStatus.Cancelled,
            ListRunStatus.Suspended => ExecutionStatus.Suspended,
            _ => run.Degraded ? ExecutionStatus.PartiallySucceeded : ExecutionStatus.Succeeded,
        };
        (status, outcome) = await _suspended.FinishAsync(run, status, outcome).ConfigureAwait(false);

        var error = outcome.Error;
        var errorCode = outcome.ErrorCode;
        if (run.Usage.LimitReached && status != ExecutionStatus.Cancelled)
        {
            // A run stopped by its cost ceiling did not complete, even when the step that hit it tolerated failure.
            status = ExecutionStatus.Failed;
            error = $"The run reached its cost ceiling ({nameof(WorkflowOrchestratorOptions.MaxRunCost)} = {runtime.Options.MaxRunCost?.ToString(CultureInfo.InvariantCulture)}) and was stopped.";
            errorCode = WorkflowOrchestratorOptions.CostLimitErrorCode;
        }

        var warnings = run.HasWarnings ? new List<string>(run.Warnings) : [];
        var seenWarnings = warnings.Count;
        var output = OutputBuilder.Build(plan, scope, status is ExecutionStatus.Succeeded or ExecutionStatus.PartiallySucceeded ? warnings : null);
        var steps = new Dictionary<string, StepResult>(plan.Steps.Count, StringComparer.Ordinal);
        foreach (var planned in plan.Steps)
        {
            var record = scope.Records[planned.Index] ?? new StepRecord(planned.Step, scope.Usage);
            var stepResult = record.ToResult();
            steps[planned.Id] = abandoned && stepResult.Status is StepStatus.Pending
                ? stepResult with { Status = StepStatus.Cancelled, Error = "The run was cancelled; the step did not stop and was abandoned." }
                : stepResult;
        }

        var pending = new List<PendingApproval>();
        if (status == ExecutionStatus.Suspended)
        {
            foreach (var (stepId, state) in run.Approvals)
            {
                if (state.Settle() is null && scope.Records[plan[stepId].Index] is { Status: StepStatus.Suspended })
                {
                    pending.Add(new PendingApproval(run.ExecutionId, stepId, state.Approvers, state.Title, state.Message, state.ExpiresAt));
                }
            }

            _suspended.Hold(plan, scope, started);
        }

        var result = new WorkflowExecutionResult
        {
            ExecutionId = run.ExecutionId,
            Status = status,
            Steps = steps,
            Output = output,
            Usage = new ExecutionUsage(0, 0, 0),
            Error = error,
            ErrorCode = errorCode,
            Warnings = warnings,
            PendingApprovals = pending,
        };

        // Memory, metrics and the audit trail are the host's side systems: each reports its failures as warnings and
        // none of them changes the status above.
        if (status is not (ExecutionStatus.Suspended or ExecutionStatus.Cancelled))
        {
            await RunLifecycle.SaveMemoryAsync(run, plan, agentId, result, cancellationToken).ConfigureAwait(false);
        }

        var usage = RunLifecycle.Usage(run, warnings);
        var duration = _timeProvider.GetElapsedTime(started);
        result = result with { Usage = usage, Duration = duration };
        if (status != ExecutionStatus.Suspended)
        {
            await RunLifecycle.RecordMetricsAsync(run, plan, agentId, result).ConfigureAwait(false);
        }

        RunLifecycle.AuditFinished(run, plan, result);
        if (run.HasWarnings)
        {
            warnings.AddRange(run.Warnings.Skip(seenWarnings));
        }
        if (run.DroppedEvents > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"The stream's consumer fell behind: {run.DroppedEvents} events were dropped ({nameof(WorkflowOrchestratorOptions.StreamingBufferCapacity)} = {runtime.Options.StreamingBufferCapacity}); the final result is complete."));
        }

        if (run.Audit is { } audit)
        {
            warnings.AddRange(await audit.CompleteAsync().ConfigureAwait(false));
        }

        OrchestratorTelemetry.RunFinished(activity, status, error, errorCode);
        Log.RunFinished(_logger, run.ExecutionId, plan.Definition.Id, status, duration.TotalMilliseconds, errorCode);
        return result;
    }

    /// <summary>
    /// Awaits a run's steps that did not finish at once. When the run is cancelled, its steps get
    /// <see cref="WorkflowOrchestratorOptions.CancellationGracePeriod"/> to stop; steps that ignore their token are then
    /// abandoned (their tasks run on unobserved, a warning says so) and the run ends cancelled.
    /// </summary>
    private async ValueTask<(ListRunOutcome Outcome, bool Abandoned)> AwaitStepsAsync(RunContext run, ValueTask<ListRunOutcome> running, CancellationToken cancellationToken)
    {
        var task = running.AsTask();
        try
        {
            return (await task.WaitAsync(cancellationToken).ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled: the steps that honour their token stop now; the rest get the grace period below.
        }

        var grace = run.Runtime.Options.CancellationGracePeriod;
        try
        {
            return (await task.WaitAsync(grace, _timeProvider, CancellationToken.None).ConfigureAwait(false), false);
        }
        catch (TimeoutException)
        {
            SideCalls.ObserveFaults(task);
            Log.RunStepsAbandoned(_logger, run.ExecutionId, grace.TotalMilliseconds);
            run.Warnings.Enqueue(string.Create(CultureInfo.InvariantCulture, $"The run was cancelled and some of its steps did not stop within {grace.TotalMilliseconds} ms ({nameof(WorkflowOrchestratorOptions.CancellationGracePeriod)}); they were abandoned and may still be running."));
            return (new ListRunOutcome(ListRunStatus.Cancelled, "The run was cancelled.", "CANCELLED", null), true);
        }
    }

    /// <summary>Audits a run refused before it started (when there are sinks) and returns its result.</summary>
    private async ValueTask<WorkflowExecutionResult> RejectAsync(WorkflowExecutionResult rejected, WorkflowExecutionRequest request, string? workflowId, long lastSequence = 0)
    {
        if (_host.AuditSinks.Count == 0)
        {
            return rejected;
        }

        var trail = new AuditTrail(_host.AuditSinks, new AuditRedactor([], null), _options().Audit, _timeProvider, _logger, rejected.ExecutionId, workflowId, request.AgentId ?? workflowId ?? string.Empty, request.UserId, lastSequence);
        trail.Write(AuditEventKind.ExecutionRejected, $"The run was refused ({rejected.ErrorCode}): {rejected.Error}", rejected.ErrorCode, static (writer, code) =>
        {
            writer.WriteStartObject();
            writer.WriteString("error_code", code);
            writer.WriteEndObject();
        });
        var warnings = await trail.CompleteAsync().ConfigureAwait(false);
        return warnings.Count == 0 ? rejected : rejected with { Warnings = warnings };
    }

    private static WorkflowExecutionResult Disabled(string? executionId) => Rejected(
        executionId,
        $"The orchestrator is disabled ({nameof(WorkflowOrchestratorOptions)}.{nameof(WorkflowOrchestratorOptions.Enabled)} is false): the run was refused and nothing ran.",
        WorkflowOrchestratorOptions.DisabledErrorCode);

    private static WorkflowExecutionResult Rejected(WorkflowExecutionRequest request, string error, string code) => Rejected(request.ExecutionId, error, code);

    private static WorkflowExecutionResult Rejected(string? executionId, string error, string code) => new()
    {
        ExecutionId = executionId ?? Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture),
        Status = ExecutionStatus.Rejected,
        Steps = new Dictionary<string, StepResult>(),
        Output = Values.JsonValues.Null,
        Usage = new ExecutionUsage(0, 0, 0),
        Error = error,
        ErrorCode = code,
    };

    /// <summary>
    /// The runtime of a new run, or null when the orchestrator is disabled. The options are read now; when they are
    /// another instance or their settings changed since the runtime was built, a runtime is built over a snapshot of
    /// them (the step pipeline is linked anew), so the run sees one consistent set of options from start to end.
    /// </summary>
    private OrchestratorRuntime? CurrentRuntime()
    {
        var current = _options();
        if (!current.Enabled)
        {
            return null;
        }

        var state = Volatile.Read(ref _state);
        if (ReferenceEquals(current, state.Source) && state.Runtime.Options.HasSameRuntimeSettings(current))
        {
            return state.Runtime;
        }

        current.Validate();
        var fresh = new RuntimeState(current, _createRuntime(current.Snapshot()));
        Volatile.Write(ref _state, fresh);
        return fresh.Runtime;
    }

    /// <summary>The options instance a runtime was built from (to notice a new one), and the runtime.</summary>
    private sealed record RuntimeState(WorkflowOrchestratorOptions Source, OrchestratorRuntime Runtime);
}
