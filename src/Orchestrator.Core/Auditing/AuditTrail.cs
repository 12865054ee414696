using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Auditing;

/// <summary>
/// The audit trail of one run. The run's threads only capture what happened (a small entry per event, no JSON, no
/// strings) and append it to a list without blocking; a dispatcher redacts the entries' secrets, numbers them in list
/// order and hands them to every sink: the default in-memory sink keeps the entries themselves (their public events are
/// made when first read, see <see cref="KeptAuditEvent"/>), any other sink gets the events through its own bounded queue,
/// which one writer task per sink drains in batches. So the audit trail costs a step
/// little, and a slow or failing sink holds up neither the run nor the other sinks. When a queue is full, events are
/// dropped and counted. <see cref="CompleteAsync"/> waits (up to the flush timeout) for the sinks to take everything and
/// reports what went wrong as warnings: the run's result never changes.
/// </summary>
/// <remarks>
/// The dispatcher is not a task per run that wakes for every entry: it runs on the thread that finds
/// <see cref="DispatchThreshold"/> entries waiting, on the thread where the run pauses (<see cref="Flush"/>: a step, or
/// a call into a side system, did not complete at once), and on the run's own thread at its end, one at a time. So the
/// run's data never crosses to another core to be audited, and a sink sees an event no later than the run's next pause
/// or 64 events later. Handing every entry to another thread, as a channel with a waiting reader does, cost a step more
/// than the step itself on a machine with a free core, and a pool thread woken every 64 entries measured about a fifth
/// more per audited step than dispatching in place (issue 16). Only the in-memory sink is written on that thread (it never blocks); other sinks get the
/// events through their queues.
/// </remarks>
internal sealed class AuditTrail
{
    private const int MaxBatch = 256;

    /// <summary>How many entries may wait for the dispatcher before it is started without waiting for the run to pause.</summary>
    internal const int DispatchThreshold = 64;

    private readonly Lock _lock = new();
    private readonly SinkQueue[] _sinks;
    private readonly AuditRedactor _redactor;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>What every event of the trail names: the run, its workflow, agent and user (one object for all of them).</summary>
    private readonly Identity _identity;

    /// <summary>
    /// What a run without a pause writes before the trail completes (its start, memory injected, a step, memory saved, its
    /// end), so such a run's lists never grow; longer runs grow them once and reuse them.
    /// </summary>
    private const int InitialEntries = 8;

    /// <summary>Entries numbered by the dispatcher and not yet handed on (only the dispatcher, one at a time, touches it).</summary>
    private readonly List<Entry> _made = new(InitialEntries);
    private List<Entry> _pending = new(InitialEntries);
    private List<Entry> _taken = [];

    /// <summary>True while a dispatcher is queued or running (only one at a time, so entries are numbered in order).</summary>
    private bool _dispatching;
    private bool _closed;

    /// <summary>Set when the trail closes while another thread dispatches: it completes once that dispatcher has handed everything on.</summary>
    private TaskCompletionSource? _drained;
    private long _sequence;

    public AuditTrail(IReadOnlyList<IAuditSink> sinks, AuditRedactor redactor, AuditOptions options, TimeProvider time, ILogger logger, string executionId, string? workflowId, string agentId, string userId, long lastSequence)
    {
        _sequence = lastSequence;
        _redactor = redactor;
        _options = options;
        _time = time;
        _logger = logger;
        _identity = new Identity(executionId, workflowId, agentId, userId);
        _sinks = new SinkQueue[sinks.Count];
        for (var i = 0; i < sinks.Count; i++)
        {
            _sinks[i] = new SinkQueue(sinks[i], options.BufferCapacity, logger, executionId);
        }
    }

    public string ExecutionId => _identity.ExecutionId;

    public string? WorkflowId => _identity.WorkflowId;

    public string AgentId => _identity.AgentId;

    public string UserId => _identity.UserId;

    /// <summary>The number of the last event numbered (the next trail of the same run goes on from it once this one is complete).</summary>
    public long LastSequence => Volatile.Read(ref _sequence);

    /// <summary>Queues an event without details for every sink; never blocks.</summary>
    public void Write(AuditEventKind kind, string message, string? stepId = null, AuditSeverity? severity = null) =>
        Enqueue(new PlainEntry(_time.GetUtcNow(), kind, severity) { Message = message, StepId = stepId });

    /// <summary>
    /// Queues an event for every sink; never blocks. Its details are written by <paramref name="details"/> from
    /// <paramref name="state"/> when first read (see <see cref="DeferredAuditContent"/>), so <paramref name="state"/> must
    /// not change afterwards and must hold no secret.
    /// </summary>
    public void Write<TState>(AuditEventKind kind, string message, TState state, Action<Utf8JsonWriter, TState> details, string? stepId = null, AuditSeverity? severity = null) =>
        Enqueue(new DetailedEntry<TState>(_time.GetUtcNow(), kind, severity, state, details) { Message = message, StepId = stepId });

    /// <summary>As <see cref="Write{TState}(AuditEventKind, string, TState, Action{Utf8JsonWriter, TState}, string?, AuditSeverity?)"/>, with the message also made from <paramref name="state"/> when first read.</summary>
    public void Write<TState>(AuditEventKind kind, TState state, Func<TState, string> message, Action<Utf8JsonWriter, TState> details, AuditSeverity? severity = null) =>
        Enqueue(new DetailedEntry<TState>(_time.GetUtcNow(), kind, severity, state, details) { MakeMessage = message });

    public void RunStarted(JsonElement inputs, int steps) => Enqueue(new RunStartedEntry(_time.GetUtcNow())
    {
        Details = inputs,
        Count = steps,
    });

    /// <summary>
    /// A step's end at <paramref name="at"/>, with its parameters when it ran (skipped and cancelled steps have none):
    /// captured now, built later. The time is the one the runner already read for the step's end (its duration, its
    /// finished event), so the step path reads the clock once: a wall-clock read cost about as much as the rest of the capture.
    /// </summary>
    public void StepFinished(StepRecord record, string prefix, string iterationKey, JsonElement parameters, DateTimeOffset at)
    {
        if (!_options.IncludeStepEvents)
        {
            return;
        }

        Enqueue(new StepEntry(at)
        {
            StepId = string.Concat(prefix, iterationKey, record.Step.Id),
            Step = record.Step,
            Status = record.Status,
            UsedFallback = record.UsedFallback,
            Count = record.Attempts,
            Span = record.ExecutionTime,
            Extra = StepExtra.Of(record),
            Details = parameters,
        });
    }

    public void StepRetried(StepContext context, int attempt, string? error, string? errorCode, TimeSpan delay)
    {
        if (!_options.IncludeStepEvents)
        {
            return;
        }

        Enqueue(new RetryEntry(_time.GetUtcNow())
        {
            StepId = string.Concat(context.Run.AuditStepPrefix, context.IterationKey, context.StepId),
            Message = error,
            ErrorCode = errorCode,
            Count = attempt,
            Span = delay,
        });
    }

    /// <summary>
    /// The run pauses (a step or a side call did not complete at once): the events captured so far are handed on now,
    /// on this thread, instead of when the threshold is reached or the run ends.
    /// </summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_dispatching || _pending.Count == 0)
            {
                return;
            }

            _dispatching = true;
        }

        Dispatch();
    }

    /// <summary>Closes the trail and waits, up to the flush timeout, for the sinks to take everything; returns what went wrong.</summary>
    public async ValueTask<List<string>> CompleteAsync()
    {
        Task? drained = null;
        var dispatchHere = false;
        lock (_lock)
        {
            _closed = true;
            if (_dispatching)
            {
                _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
            else
            {
                _dispatching = dispatchHere = true;
            }
        }

        var warnings = new List<string>();
        try
        {
            if (dispatchHere)
            {
                // The rest of the trail is built on the run's thread: no hand-off for a run that never paused.
                Dispatch();
            }
            else
            {
                // The dispatcher never waits on a sink, so it ends as soon as it has handed everything on.
                await drained!.WaitAsync(_options.FlushTimeout, _time).ConfigureAwait(false);
            }

            // One flush timeout for all the writers still going (none, for the in-memory sink alone: no timer then).
            List<Task>? writing = null;
            foreach (var sink in _sinks)
            {
                if (sink.Pump is { IsCompleted: false } pump)
                {
                    (writing ??= []).Add(pump);
                }
            }

            if (writing is not null)
            {
                await Task.WhenAll(writing).WaitAsync(_options.FlushTimeout, _time).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            // The writers go on in the background: what the sinks have not taken yet is still written, later.
        }

        foreach (var sink in _sinks)
        {
            sink.Report(warnings, _options);
        }

        return warnings;
    }

    private void Enqueue(Entry entry)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return; // As a completed channel refused it: the trail of this segment is written.
            }

            _pending.Add(entry);
            if (_dispatching || _pending.Count < DispatchThreshold)
            {
                return;
            }

            _dispatching = true;
        }

        Dispatch();
    }

    /// <summary>
    /// The dispatcher: takes the waiting entries, in order, until none wait; makes their events and hands them to the
    /// sinks. Once the trail is closed and everything is handed on, the sinks' queues close too.
    /// </summary>
    private void Dispatch()
    {
        while (true)
        {
            List<Entry> batch;
            TaskCompletionSource? drained = null;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _dispatching = false;
                    if (!_closed)
                    {
                        return;
                    }

                    drained = _drained;
                }

                batch = _pending;
                _pending = _taken;
                _taken = batch;
            }

            if (batch.Count == 0)
            {
                // Every event is handed on: the sinks' queues close, and their writers end once they have written them.
                foreach (var sink in _sinks)
                {
                    sink.Complete();
                }

                drained?.TrySetResult();
                return;
            }

            foreach (var entry in batch)
            {
                try
                {
                    entry.Prepare(this);

                    // Numbered once prepared, so a failure leaves no gap. Dispatchers run one at a time, each after the
                    // last one's lock: a plain write, published for LastSequence.
                    entry.Number(_identity, _sequence + 1);
                    Volatile.Write(ref _sequence, _sequence + 1);
                    _made.Add(entry);
                }
                catch (Exception ex)
                {
                    // A bug in building one event must not stop the trail.
                    Log.AuditSinkFailed(_logger, ex, ExecutionId, nameof(AuditTrail), 1);
                }
            }

            batch.Clear();
            foreach (var sink in _sinks)
            {
                sink.Take(_made);
            }

            _made.Clear();
        }
    }

    /// <summary>On the dispatcher: the inputs redacted now (the facts kept hold no secret); message and details built when first read.</summary>
    private static void PrepareRunStarted(AuditTrail trail, RunStartedEntry entry)
    {
        entry.Details = trail._redactor.Redact(entry.Details.ValueKind == JsonValueKind.Undefined ? JsonValues.EmptyObject : entry.Details);
        entry.Classify(AuditEventKind.ExecutionStarted);
    }

    private static (string Message, JsonElement Details) RunStartedContent(RunStartedEntry entry) => ($"Run of workflow '{entry.Run.WorkflowId}' started for user '{entry.Run.UserId}'.", JsonValues.Write(static (writer, entry) =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("steps", entry.Count);
        writer.WritePropertyName("inputs");
        entry.Details.WriteTo(writer);
        writer.WriteEndObject();
    }, entry));

    private static (string Message, JsonElement Details) StepRetriedContent(RetryEntry entry) => (
        $"Step '{entry.StepId}' failed and is retried (attempt {entry.Count.ToString(CultureInfo.InvariantCulture)} failed): {entry.Message}",
        JsonValues.Write(static (writer, entry) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("attempt", entry.Count);
            writer.WriteNumber("delay_ms", entry.Span.TotalMilliseconds);
            if (entry.ErrorCode is not null)
            {
                writer.WriteString("error_code", entry.ErrorCode);
            }

            writer.WriteEndObject();
        }, entry));

    /// <summary>
    /// On the dispatcher: the event's kind, and its parameters redacted now (a copy only when they hold a secret), so
    /// the facts kept for the deferred details hold no secret. Message and details are built when first read.
    /// </summary>
    private static void PrepareStepFinished(AuditTrail trail, StepEntry entry)
    {
        var step = entry.Step!;
        var parameters = entry.Details;
        if (parameters.ValueKind == JsonValueKind.Object && step is ActionStep action)
        {
            entry.Details = trail._redactor.RedactParameters(parameters, action.Plugin, action.Action);
        }
        else if (parameters.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            entry.Details = trail._redactor.Redact(parameters);
        }

        var kind = entry.Status switch
        {
            StepStatus.Succeeded => AuditEventKind.StepExecuted,
            StepStatus.Failed => AuditEventKind.StepFailed,
            StepStatus.Skipped => AuditEventKind.StepSkipped,
            StepStatus.Suspended => AuditEventKind.StepSuspended,
            _ => AuditEventKind.StepCancelled,
        };
        entry.Classify(kind);
    }

    private static (string Message, JsonElement Details) StepFinishedContent(StepEntry entry)
    {
        var step = entry.Step!;
        var message = entry.Status switch
        {
            StepStatus.Succeeded => $"Step '{step.Id}' succeeded.",
            StepStatus.Failed when entry.UsedFallback => $"Step '{step.Id}' failed and its fallback stood in: {entry.Extra?.Message}",
            StepStatus.Failed => $"Step '{step.Id}' failed: {entry.Extra?.Message}",
            StepStatus.Skipped => $"Step '{step.Id}' was skipped: {entry.Extra?.Message}",
            StepStatus.Suspended => $"Step '{step.Id}' waits for approval.",
            _ => $"Step '{step.Id}' was cancelled: {entry.Extra?.Message}",
        };

        return (message, JsonValues.Write(static (writer, entry) =>
        {
            var step = entry.Step!;
            var parameters = entry.Details;
            writer.WriteStartObject();
            writer.WriteString("type", step.Type);
            writer.WriteString("status", entry.Status.ToString().ToLowerInvariant());
            if (step is ActionStep action)
            {
                writer.WriteString("plugin", action.Plugin);
                writer.WriteString("action", action.Action);
            }

            writer.WriteNumber("attempts", entry.Count);
            writer.WriteNumber("duration_ms", Math.Round(entry.Span.TotalMilliseconds, 3));
            if (entry.Extra?.ErrorCode is { } errorCode)
            {
                writer.WriteString("error_code", errorCode);
            }

            if (entry.Extra?.Model is { } model)
            {
                writer.WriteString("model", model);
            }

            if (entry.Extra is { } llm && llm.InputTokens + llm.OutputTokens > 0)
            {
                writer.WriteNumber("input_tokens", llm.InputTokens);
                writer.WriteNumber("output_tokens", llm.OutputTokens);
                writer.WriteNumber("cost", llm.Cost);
            }

            if (parameters.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                writer.WritePropertyName("parameters");
                parameters.WriteTo(writer);
            }

            writer.WriteEndObject();
        }, entry));
    }

    /// <summary>
    /// What happened, as captured on the run's thread: the fields a kind of event needs, and how to make it. Kept small
    /// (one per step event): step and retry entries are also the deferred content their events are built from.
    /// </summary>
    /// <remarks>
    /// Kept by the in-memory sink for as long as it holds the event (10,000 events by default: the events of some two
    /// thousand one-step runs), so every garbage collection meanwhile finds it alive and copies it: what only some kinds of
    /// entry need lives in those kinds, and the instant is kept as UTC ticks (every time given here is UTC).
    /// </remarks>
    private abstract class Entry(DateTimeOffset timestamp) : KeptAuditEvent
    {
        private readonly long _utcTicks = timestamp.UtcTicks;
        private Identity? _identity;
        private long _sequence;
        private AuditEventKind? _kind;
        private AuditSeverity? _severity;
        private AuditEvent? _event;

        public DateTimeOffset Timestamp => new(_utcTicks, TimeSpan.Zero);

        public string? StepId { get; init; }

        /// <summary>The run the entry belongs to, once numbered (events are built only after that).</summary>
        public Identity Run => _identity!;

        public override string ExecutionId => _identity!.ExecutionId;

        public override long Sequence => _sequence;

        public override AuditEvent Event
        {
            get
            {
                var made = Volatile.Read(ref _event);
                return made ?? Interlocked.CompareExchange(ref _event, Make(_identity!, _kind!, _severity!), null) ?? _event;
            }
        }

        /// <summary>
        /// On the dispatcher, before anything keeps the entry: redacts what it holds and says what kind of event it is.
        /// Nothing to do for an entry classified when made that holds nothing to redact.
        /// </summary>
        public virtual void Prepare(AuditTrail trail)
        {
        }

        /// <summary>Sets the event's kind, and its severity (the kind's own unless given).</summary>
        public void Classify(AuditEventKind kind, AuditSeverity? severity = null)
        {
            _kind = kind;
            _severity = severity ?? kind.DefaultSeverity;
        }

        /// <summary>On the dispatcher, once prepared: the run the event belongs to and its number in it.</summary>
        public void Number(Identity identity, long sequence)
        {
            _identity = identity;
            _sequence = sequence;
        }

        /// <summary>Makes the public event: by default one whose message and details are built from this entry when first read.</summary>
        protected virtual AuditEvent Make(Identity identity, AuditEventKind kind, AuditSeverity severity) => new(kind, severity, Timestamp, identity.ExecutionId, this)
        {
            WorkflowId = identity.WorkflowId,
            AgentId = identity.AgentId,
            UserId = identity.UserId,
            StepId = StepId,
            Sequence = _sequence,
        };
    }

    /// <summary>The run every event of a trail belongs to (shared by its entries, so an entry holds one reference, not four).</summary>
    private sealed record Identity(string ExecutionId, string? WorkflowId, string AgentId, string UserId);

    /// <summary>An event given whole (kind, message, details) by the run.</summary>
    private sealed class PlainEntry : Entry
    {
        public PlainEntry(DateTimeOffset timestamp, AuditEventKind kind, AuditSeverity? severity)
            : base(timestamp) => Classify(kind, severity);

        public string? Message { get; init; }

        public override (string Message, JsonElement Details) Build() => throw new InvalidOperationException("A plain audit event is never deferred.");

        protected override AuditEvent Make(Identity identity, AuditEventKind kind, AuditSeverity severity) => new()
        {
            Kind = kind,
            Severity = severity,
            Timestamp = Timestamp,
            ExecutionId = identity.ExecutionId,
            WorkflowId = identity.WorkflowId,
            AgentId = identity.AgentId,
            UserId = identity.UserId,
            StepId = StepId,
            Message = Message ?? string.Empty,
            Sequence = Sequence,
        };
    }

    /// <summary>An event given by the run with its message, and details to write from a state when first read.</summary>
    private sealed class DetailedEntry<TState> : Entry
    {
        private readonly TState _state;
        private readonly Action<Utf8JsonWriter, TState> _details;

        public DetailedEntry(DateTimeOffset timestamp, AuditEventKind kind, AuditSeverity? severity, TState state, Action<Utf8JsonWriter, TState> details)
            : base(timestamp)
        {
            _state = state;
            _details = details;
            Classify(kind, severity);
        }

        /// <summary>The message, or null when <see cref="MakeMessage"/> makes it.</summary>
        public string? Message { get; init; }

        public Func<TState, string>? MakeMessage { get; init; }

        public override (string Message, JsonElement Details) Build() => (Message ?? MakeMessage!(_state), JsonValues.Write(_details, _state));
    }

    private sealed class RunStartedEntry(DateTimeOffset timestamp) : Entry(timestamp)
    {
        /// <summary>The run's inputs (redacted by the dispatcher before anything keeps them).</summary>
        public JsonElement Details { get; set; }

        /// <summary>The run's step count.</summary>
        public int Count { get; init; }

        public override void Prepare(AuditTrail trail) => PrepareRunStarted(trail, this);

        public override (string Message, JsonElement Details) Build() => RunStartedContent(this);
    }

    private sealed class RetryEntry(DateTimeOffset timestamp) : Entry(timestamp)
    {
        /// <summary>The attempt that failed.</summary>
        public int Count { get; init; }

        /// <summary>The delay before the next attempt.</summary>
        public TimeSpan Span { get; init; }

        public string? Message { get; init; }

        public string? ErrorCode { get; init; }

        public override void Prepare(AuditTrail trail) => Classify(AuditEventKind.StepRetried);

        public override (string Message, JsonElement Details) Build() => StepRetriedContent(this);
    }

    /// <summary>A finished step: its facts copied when it finished (the record is not read from another thread).</summary>
    private sealed class StepEntry(DateTimeOffset timestamp) : Entry(timestamp)
    {
        /// <summary>The step's parameters when it ran (redacted by the dispatcher before anything keeps them).</summary>
        public JsonElement Details { get; set; }

        /// <summary>The step's attempts.</summary>
        public int Count { get; init; }

        /// <summary>The step's duration.</summary>
        public TimeSpan Span { get; init; }

        public required WorkflowStep Step { get; init; }

        public StepStatus Status { get; init; }

        public bool UsedFallback { get; init; }

        /// <summary>Error, skip reason, model and usage, for the steps that have any (most steps have none: no room taken).</summary>
        public StepExtra? Extra { get; init; }

        public override void Prepare(AuditTrail trail) => PrepareStepFinished(trail, this);

        public override (string Message, JsonElement Details) Build() => StepFinishedContent(this);
    }

    /// <summary>What only some finished steps have, kept apart so the entry of a plain successful step stays small.</summary>
    private sealed class StepExtra(string? message, string? errorCode, string? model, UsageCounter? usage)
    {
        public string? Message { get; } = message;

        public string? ErrorCode { get; } = errorCode;

        public string? Model { get; } = model;

        public long InputTokens { get; } = usage?.InputTokens ?? 0;

        public long OutputTokens { get; } = usage?.OutputTokens ?? 0;

        public decimal Cost { get; } = usage?.Cost ?? 0m;

        public static StepExtra? Of(StepRecord record)
        {
            var message = record.Status == StepStatus.Failed ? record.Error : record.SkipReason;
            var usage = record.UsageIfAny;
            return message is null && record.ErrorCode is null && record.Model is null && usage is null
                ? null
                : new StepExtra(message, record.ErrorCode, record.Model, usage);
        }
    }

    /// <summary>
    /// One sink's way in: the default in-memory sink is written directly by the dispatcher (it only appends to a
    /// concurrent queue, never blocks and never keeps the list it is given); any other sink has a bounded queue and a
    /// writer task that drains it in batches, started when the first event arrives, so a sink that blocks synchronously
    /// never blocks the run.
    /// </summary>
    private sealed class SinkQueue
    {
        private readonly IAuditSink _sink;
        private readonly int _capacity;
        private readonly ILogger _logger;
        private readonly string _executionId;
        private readonly InMemoryAuditSink? _direct;
        private Channel<AuditEvent>? _queue;
        private long _dropped;
        private int _failedBatches;
        private string? _firstError;

        public SinkQueue(IAuditSink sink, int capacity, ILogger logger, string executionId)
        {
            _sink = sink;
            _capacity = capacity;
            _logger = logger;
            _executionId = executionId;
            _direct = sink as InMemoryAuditSink;
        }

        /// <summary>The writer task, once the sink was given an event through its queue.</summary>
        public Task? Pump { get; private set; }

        private string Name => _sink.GetType().Name;

        /// <summary>Hands the sink the events just numbered (on the dispatcher; <paramref name="events"/> is reused after the call).</summary>
        public void Take(List<Entry> events)
        {
            if (events.Count == 0)
            {
                return;
            }

            if (_direct is not null)
            {
                try
                {
                    // Kept as they are: the public events are made when someone reads the sink.
                    _direct.Append<KeptAuditEvent>(CollectionsMarshal.AsSpan(events));
                }
                catch (Exception ex)
                {
                    Failed(ex, events.Count);
                }

                return;
            }

            if (_queue is null)
            {
                _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(_capacity)
                {
                    SingleReader = true,
                    SingleWriter = true,
                    FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full, so drops are counted here.
                });

                // Started on the thread pool so a sink that blocks synchronously never blocks the run.
                Pump = Task.Run(PumpAsync);
            }

            foreach (var entry in events)
            {
                if (!_queue.Writer.TryWrite(entry.Event))
                {
                    Interlocked.Increment(ref _dropped);
                }
            }
        }

        public void Complete() => _queue?.Writer.TryComplete();

        public void Report(List<string> warnings, AuditOptions options)
        {
            if (Interlocked.Read(ref _dropped) is var dropped and > 0)
            {
                warnings.Add($"Audit sink {Name} fell {options.BufferCapacity} events behind: {dropped} events of this run were dropped.");
                Log.AuditEventsDropped(_logger, _executionId, Name, dropped);
            }

            if (Volatile.Read(ref _failedBatches) is var failed and > 0)
            {
                warnings.Add($"Audit sink {Name} failed to write {failed} batch(es) of this run's events: {_firstError}");
            }

            if (Pump is { IsCompleted: false })
            {
                warnings.Add($"Audit sink {Name} had not taken all of this run's events {options.FlushTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s after the run ended; they are written in the background.");
            }
        }

        /// <summary>A sink's failure is its own: counted, logged and reported on the run, never thrown into it.</summary>
        private void Failed(Exception ex, int events)
        {
            if (Interlocked.Increment(ref _failedBatches) == 1)
            {
                _firstError = $"{ex.GetType().Name}: {ex.Message}";
            }

            Log.AuditSinkFailed(_logger, ex, _executionId, Name, events);
        }

        private async Task PumpAsync()
        {
            var reader = _queue!.Reader;

            // Events are gathered in one reused list and handed on as an array of exactly their number: the sink was told
            // the list is not reused after the call (it may keep it), and a list grown from a small capacity for every
            // batch cost a step event about 28 bytes of discarded arrays.
            var pending = new List<AuditEvent>(16);
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (pending.Count < MaxBatch && reader.TryRead(out var @event))
                {
                    pending.Add(@event);
                }

                var batch = pending.ToArray();
                pending.Clear();
                try
                {
                    await _sink.WriteAsync(batch).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Failed(ex, batch.Length);
                }
            }
        }
    }
}
