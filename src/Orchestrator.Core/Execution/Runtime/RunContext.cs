using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>The state of one run shared by all its steps.</summary>
internal sealed class RunContext
{
    private readonly List<(StepRecord Record, StepScope Scope)> _compensations = [];
    private int _softFailures;
    private StrongBox<JsonElement>? _memory;
    private ConcurrentQueue<string>? _warnings;
    private ConcurrentDictionary<string, ApprovalState>? _approvals;

    public RunContext(OrchestratorRuntime runtime, string executionId, WorkflowExecutionRequest request, JsonElement inputs, ChannelWriter<ExecutionEvent>? events, UsageCounter? parentUsage = null)
    {
        Usage = new UsageCounter(parentUsage);
        _origin = (runtime.TimeProvider.GetUtcNow(), runtime.TimeProvider.GetTimestamp());
        Runtime = runtime;
        ExecutionId = executionId;
        UserId = request.UserId;
        AgentId = request.AgentId;
        Inputs = inputs;
        Config = request.Config.ValueKind == JsonValueKind.Object ? request.Config : Values.JsonValues.EmptyObject;
        Events = events;
        Budget = new RunBudget(runtime.Options.Limits);
    }

    public OrchestratorRuntime Runtime { get; }

    /// <summary>The run's calls, call concurrency and output bytes against the limits; a sub-workflow shares its caller's.</summary>
    public RunBudget Budget { get; init; }

    public string ExecutionId { get; }

    public string UserId { get; }

    public string? AgentId { get; }

    public JsonElement Inputs { get; }

    /// <summary>The <c>{{config.*}}</c> values: the request's configuration, shared with sub-workflows; an empty object when none was given.</summary>
    public JsonElement Config { get; init; }

    /// <summary>The <c>{{var.*}}</c> values; an empty object until variables are set.</summary>
    public JsonElement Variables { get; set; } = Values.JsonValues.EmptyObject;

    /// <summary>
    /// The <c>{{memory.*}}</c> values (<c>context</c>, counts); empty until memory is injected. Made from
    /// <see cref="InjectedMemory"/> when first read, so a run whose steps never read memory does not build its JSON.
    /// </summary>
    public JsonElement Memory
    {
        get
        {
            if (Volatile.Read(ref _memory) is { } made)
            {
                return made.Value;
            }

            if (InjectedMemory is not { } injected)
            {
                return Values.JsonValues.EmptyObject;
            }

            // Boxed so parallel steps never read a half-written struct; two that race both make the same value.
            var fresh = new StrongBox<JsonElement>(injected.ToJson());
            return (Interlocked.CompareExchange(ref _memory, fresh, null) ?? fresh).Value;
        }

        set => Volatile.Write(ref _memory, new StrongBox<JsonElement>(value));
    }

    /// <summary>The run's usage; a sub-workflow's flows up into the step that started it.</summary>
    public UsageCounter Usage { get; }

    public ChannelWriter<ExecutionEvent>? Events { get; }

    /// <summary>The run's audit trail, shared with its sub-workflows; null when no sink is registered.</summary>
    public Auditing.AuditTrail? Audit { get; set; }

    /// <summary>What the run did, for the metrics summary; shared with its sub-workflows.</summary>
    public RunCounters Counters { get; init; } = new();

    /// <summary>The outermost run, for a sub-workflow's run: once-per-run warnings are given there.</summary>
    public RunContext? WarningRoot { get; init; }

    /// <summary>What audit step ids start with: empty for a run, the path to the calling step for a sub-workflow's (<c>call/</c>).</summary>
    public string AuditStepPrefix { get; init; } = string.Empty;

    /// <summary>The workflow being run (the outermost one for sub-workflows).</summary>
    public string? WorkflowId { get; init; }

    /// <summary>The memory injected into the run, when there was some.</summary>
    public Memory.InjectedMemory? InjectedMemory { get; set; }
    /// <summary>Appends the run's finished top-level steps to its checkpoint; null when the orchestrator has no store.</summary>
    public Core.Durability.CheckpointWriter? Checkpoints { get; set; }

    /// <summary>The run's warnings, made on the first one (most runs have none).</summary>
    public ConcurrentQueue<string> Warnings => LazyInitializer.EnsureInitialized(ref _warnings, static () => new ConcurrentQueue<string>());

    /// <summary>Whether the run has a warning (without making the queue).</summary>
    public bool HasWarnings => Volatile.Read(ref _warnings) is { IsEmpty: false };

    /// <summary>Decisions recorded for approval steps, by iteration key + step id.</summary>
    /// <remarks>Made on first use: only runs with approval steps have any.</remarks>
    public ConcurrentDictionary<string, ApprovalState> Approvals =>
        LazyInitializer.EnsureInitialized(ref _approvals, static () => new ConcurrentDictionary<string, ApprovalState>(StringComparer.Ordinal));

    /// <summary>How deeply this run is nested in sub-workflows (0 for a run of its own).</summary>
    public int Depth { get; init; }

    /// <summary>Whether any step failed without failing the run (continueOnError, fallback), at any depth.</summary>
    public bool Degraded => Volatile.Read(ref _softFailures) > 0;

    public void MarkDegraded() => Interlocked.Increment(ref _softFailures);

    /// <summary>Adds a warning to the run once per <paramref name="key"/> (such as one per model without a price).</summary>
    public void WarnOnce(string key, string warning)
    {
        if (WarningRoot is { } root)
        {
            root.WarnOnce(key, warning);
            return;
        }

        var seen = LazyInitializer.EnsureInitialized(ref _warnedKeys, static () => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        if (seen.TryAdd(key, 0))
        {
            Warnings.Enqueue(warning);
        }
    }

    private ConcurrentDictionary<string, byte>? _warnedKeys;

    /// <summary>
    /// Remembers a completed step that declares a <c>rollbackAction</c>, once, in completion order. The log is the run's,
    /// not one list's, so steps inside groups, loops and scatters that completed are compensated when the run fails later.
    /// </summary>
    public void RecordCompensation(StepRecord record, StepScope scope)
    {
        lock (_compensations)
        {
            if (!_compensations.Exists(c => ReferenceEquals(c.Record, record)))
            {
                _compensations.Add((record, scope));
            }
        }
    }

    /// <summary>Takes the compensations of steps in <paramref name="scope"/> or nested in it, newest first; each is taken once.</summary>
    public List<(StepRecord Record, StepScope Scope)> TakeCompensations(StepScope scope)
    {
        var taken = new List<(StepRecord Record, StepScope Scope)>();
        lock (_compensations)
        {
            for (var i = _compensations.Count - 1; i >= 0; i--)
            {
                if (IsWithin(_compensations[i].Scope, scope))
                {
                    taken.Add(_compensations[i]);
                    _compensations.RemoveAt(i);
                }
            }
        }

        return taken;
    }

    /// <summary>Streams an event; callers check <see cref="Events"/> first so a run nobody streams builds no events.</summary>
    /// <remarks>
    /// The streaming channel is bounded (<see cref="WorkflowOrchestratorOptions.StreamingBufferCapacity"/>) and steps never
    /// wait for a slow consumer: an event that finds the buffer full is dropped and counted (<see cref="DroppedEvents"/>),
    /// and the run's result names the count. The final event is never dropped (it waits for room).
    /// </remarks>
    public void Emit(ExecutionEvent @event)
    {
        if (Events is { } events && !events.TryWrite(@event))
        {
            Interlocked.Increment(ref _droppedEvents);
        }
    }

    private long _droppedEvents;

    /// <summary>How many streamed events were dropped because the consumer fell behind.</summary>
    public long DroppedEvents => Interlocked.Read(ref _droppedEvents);

    public DateTimeOffset Now => Runtime.TimeProvider.GetUtcNow();

    /// <summary>The wall-clock time and the high-resolution timestamp read together when the run started.</summary>
    private readonly (DateTimeOffset Utc, long Timestamp) _origin;

    /// <summary>
    /// The wall-clock time at <paramref name="timestamp"/>: the run's start plus the elapsed time, so a step reads the
    /// clock once (the timestamp) instead of twice; wall-clock reads are a large share of a no-op step's cost.
    /// </summary>
    public DateTimeOffset UtcAt(long timestamp) => _origin.Utc + Runtime.TimeProvider.GetElapsedTime(_origin.Timestamp, timestamp);

    private static bool IsWithin(StepScope? candidate, StepScope scope)
    {
        for (; candidate is not null; candidate = candidate.Parent)
        {
            if (ReferenceEquals(candidate, scope))
            {
                return true;
            }
        }

        return false;
    }
}
