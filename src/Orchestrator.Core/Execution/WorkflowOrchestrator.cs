using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Llm;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Plugins;
using Orchestrator.Core.Telemetry;
using Polly;

namespace Orchestrator.Core.Execution;

/// <summary>
/// The orchestrator: plans (when given a definition) and runs workflows through the step pipeline, reporting an honest
/// status. Thread-safe; one instance serves many concurrent runs. Suspended runs are held in memory, or with a
/// checkpoint store in the store (see docs/durability.md).
/// </summary>
public sealed class WorkflowOrchestrator : IWorkflowOrchestrator
{
    private readonly ConcurrentDictionary<string, SuspendedRun> _suspended = new(StringComparer.Ordinal);
    private readonly Func<WorkflowOrchestratorOptions> _options;
    private readonly Func<WorkflowOrchestratorOptions, OrchestratorRuntime> _createRuntime;
    private readonly TimeProvider _timeProvider;
    private readonly WorkflowPlanner _planner;
    private readonly ILogger _logger;
    private readonly DurableRuns? _durable;
    private RuntimeState _state;

    /// <summary>Creates an orchestrator over the host's plugins and LLM.</summary>
    /// <param name="pluginExecutor">Runs plugin actions.</param>
    /// <param name="llmClient">Answers LLM steps.</param>
    /// <param name="options">
    /// How runs are executed; defaults when null. The instance is read at the start of every run, so a change to it
    /// (such as <see cref="WorkflowOrchestratorOptions.Enabled"/>) applies to the next run.
    /// </param>
    /// <param name="timeProvider">The clock for timestamps, delays, timeouts and backoff; the system clock when null.</param>
    /// <param name="workflowRegistry">Workflows that sub-workflow steps name by id.</param>
    /// <param name="cache">Stores results of steps with caching on; in memory when null.</param>
    /// <param name="middleware">Host middleware, outermost first, wrapped around the built-in pipeline.</param>
    /// <param name="pluginCatalog">Describes the plugins, so definitions are checked against it when planned here.</param>
    /// <param name="pluginPipelines">Resilience pipelines by plugin name, applied to that plugin's actions.</param>
    /// <param name="loggerFactory">Creates the logger of the orchestrator's log events; none are written when null.</param>
    /// <param name="checkpointStore">
    /// Checkpoints runs so they can be resumed after a crash or in another process (see docs/durability.md); when null,
    /// runs are not checkpointed and suspended runs are held in this orchestrator's memory.
    /// </param>
    public WorkflowOrchestrator(
        IPluginExecutor pluginExecutor,
        ILlmClient llmClient,
        WorkflowOrchestratorOptions? options = null,
        TimeProvider? timeProvider = null,
        IWorkflowRegistry? workflowRegistry = null,
        IStepResultCache? cache = null,
        IEnumerable<IStepMiddleware>? middleware = null,
        IPluginCatalog? pluginCatalog = null,
        IReadOnlyDictionary<string, ResiliencePipeline<StepOutcome>>? pluginPipelines = null,
        ILoggerFactory? loggerFactory = null,
        ICheckpointStore? checkpointStore = null)
        : this(
            Fixed(options ?? new WorkflowOrchestratorOptions()),
            pluginExecutor ?? throw new ArgumentNullException(nameof(pluginExecutor)),
            llmClient ?? throw new ArgumentNullException(nameof(llmClient)),
            timeProvider ?? TimeProvider.System,
            workflowRegistry,
            cache ?? new InMemoryStepResultCache(timeProvider ?? TimeProvider.System),
            middleware?.ToList() ?? [],
            pluginPipelines ?? new Dictionary<string, ResiliencePipeline<StepOutcome>>(),
            new WorkflowPlanner(pluginCatalog),
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<WorkflowOrchestrator>(),
            checkpointStore)
    {
    }

    /// <summary>Creates an orchestrator that reads its options from <paramref name="options"/> at the start of every run.</summary>
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
        ICheckpointStore? checkpointStore = null)
    {
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _planner = planner;
        _durable = checkpointStore is null ? null : new DurableRuns(checkpointStore, planner, timeProvider, logger);
        _createRuntime = snapshot => new OrchestratorRuntime(snapshot, pluginExecutor, llmClient, workflowRegistry, cache, timeProvider, middleware, pluginPipelines, planner, logger);
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
            return ValueTask.FromResult(Disabled(request.ExecutionId));
        }

        var planning = _planner.Plan(definition);
        if (planning.Plan is null)
        {
            var errors = planning.Diagnostics.Where(d => d.IsError).Select(d => d.ToString());
            return ValueTask.FromResult(Rejected(request, "The workflow cannot be planned: " + string.Join("; ", errors), "INVALID_WORKFLOW"));
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
        var channel = Channel.CreateUnbounded<ExecutionEvent>(new UnboundedChannelOptions { SingleReader = true });

        // A consumer that stops reading (breaks out, or disposes the enumerator) stops the run: nobody would see what
        // further steps do, and they may have effects. The run is awaited, so nothing is left running unobserved.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = RunAndCompleteAsync(plan, request, channel.Writer, stop.Token);
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
            }

            await run.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> SubmitApprovalAsync(ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (_durable is not null)
        {
            return _durable.SubmitApprovalAsync(decision, cancellationToken); // Suspended runs live in the store.
        }

        if (!_suspended.TryGetValue(decision.ExecutionId, out var suspended) || !suspended.Run.Approvals.TryGetValue(decision.StepId, out var state))
        {
            throw new InvalidOperationException($"No suspended run '{decision.ExecutionId}' waits for an approval of step '{decision.StepId}'.");
        }

        if (!state.Approvers.IsEmpty && !state.Approvers.Contains(decision.Approver))
        {
            throw new InvalidOperationException($"'{decision.Approver}' is not an approver of step '{decision.StepId}' (approvers: {string.Join(", ", state.Approvers)}).");
        }

        if (state.Step.RequireComment && string.IsNullOrWhiteSpace(decision.Comment))
        {
            throw new InvalidOperationException($"The approval of step '{decision.StepId}' requires a comment.");
        }

        state.Record(decision);
        return ValueTask.FromResult(state.Settle() is not null);
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
            return Disabled(executionId);
        }

        if (_durable is not null && CurrentRuntime() is { } runtime)
        {
            var resumed = await _durable.LoadAsync(executionId, options, runtime, cancellationToken).ConfigureAwait(false);
            return resumed.Scope is null
                ? Rejected(executionId, resumed.Error!, resumed.ErrorCode!)
                : await ContinueAsync(resumed.Plan!, resumed.Scope, _timeProvider.GetTimestamp(), cancellationToken).ConfigureAwait(false);
        }

        if (options?.Definition is not null || !_suspended.TryRemove(executionId, out var suspended))
        {
            throw new InvalidOperationException(options?.Definition is null
                ? $"No suspended run has the id '{executionId}'."
                : "Resuming on another definition needs a checkpoint store.");
        }

        return await ContinueAsync(suspended.Plan, suspended.Scope, suspended.Started, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAndCompleteAsync(ExecutionPlan plan, WorkflowExecutionRequest request, ChannelWriter<ExecutionEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            var result = await RunAsync(plan, request, events, cancellationToken).ConfigureAwait(false);
            events.TryWrite(new ExecutionFinishedEvent(result.ExecutionId, _timeProvider.GetUtcNow(), result));
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
            return Disabled(request.ExecutionId);
        }

        var (inputs, inputError) = InputValidator.Validate(plan.Definition, request.Inputs);
        if (inputError is not null)
        {
            return Rejected(request, "The inputs are invalid: " + inputError, "INVALID_INPUT");
        }

        var executionId = request.ExecutionId ?? Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var run = new RunContext(runtime, executionId, request, inputs, events);
        var scope = new StepScope(run, plan, null, string.Empty) { Usage = run.Usage };
        if (_durable is not null)
        {
            await _durable.StartAsync(plan, scope, cancellationToken).ConfigureAwait(false);
        }

        return await ContinueAsync(plan, scope, started, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<WorkflowExecutionResult> ContinueAsync(ExecutionPlan plan, StepScope scope, long started, CancellationToken cancellationToken)
    {
        var run = scope.Run;
        Log.RunStarted(_logger, run.ExecutionId, plan.Definition.Id, plan.Steps.Count);
        using var activity = OrchestratorTelemetry.StartRun(run.ExecutionId, run.AgentId, plan.Definition.Id);
        var outcome = await PlanRunner.RunAsync(scope, run.Runtime.Options.MaxParallelism, run.Checkpoints?.Token ?? cancellationToken).ConfigureAwait(false);
        var status = outcome.Status switch
        {
            ListRunStatus.Failed => ExecutionStatus.Failed,
            ListRunStatus.Cancelled => ExecutionStatus.Cancelled,
            ListRunStatus.Suspended => ExecutionStatus.Suspended,
            _ => run.Degraded ? ExecutionStatus.PartiallySucceeded : ExecutionStatus.Succeeded,
        };
        if (run.Checkpoints is not null)
        {
            (status, outcome) = await _durable!.FinishAsync(run, status, outcome).ConfigureAwait(false);
        }

        var warnings = new List<string>(run.Warnings);
        var output = OutputBuilder.Build(plan, scope, status is ExecutionStatus.Succeeded or ExecutionStatus.PartiallySucceeded ? warnings : null);
        var steps = new Dictionary<string, StepResult>(plan.Steps.Count, StringComparer.Ordinal);
        foreach (var planned in plan.Steps)
        {
            var record = scope.Records[planned.Index] ?? new StepRecord(planned.Step, scope.Usage);
            steps[planned.Id] = record.ToResult();
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

            if (_durable is null)
            {
                _suspended[run.ExecutionId] = new SuspendedRun(plan, scope, started);
            }
        }

        var duration = _timeProvider.GetElapsedTime(started);
        OrchestratorTelemetry.RunFinished(activity, status, outcome.Error, outcome.ErrorCode);
        Log.RunFinished(_logger, run.ExecutionId, plan.Definition.Id, status, duration.TotalMilliseconds, outcome.ErrorCode);
        return new WorkflowExecutionResult
        {
            ExecutionId = run.ExecutionId,
            Status = status,
            Steps = steps,
            Output = output,
            Usage = new ExecutionUsage(run.Usage.InputTokens, run.Usage.OutputTokens, run.Usage.Calls),
            Error = outcome.Error,
            ErrorCode = outcome.ErrorCode,
            Duration = duration,
            Warnings = warnings,
            PendingApprovals = pending,
        };
    }

    private static Func<WorkflowOrchestratorOptions> Fixed(WorkflowOrchestratorOptions options) => () => options;

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

    private sealed record SuspendedRun(ExecutionPlan Plan, StepScope Scope, long Started)
    {
        public RunContext Run => Scope.Run;
    }
}
