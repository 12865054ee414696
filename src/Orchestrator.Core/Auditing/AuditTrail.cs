using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Auditing;

/// <summary>
/// The audit trail of one run. The run's threads only capture what happened (a small entry per event, no JSON, no
/// strings) and queue it without blocking; one dispatcher task numbers the entries in queue order, builds the events
/// (details as JSON, secrets redacted) and hands each to every sink's own bounded queue, which one writer task per sink
/// drains in batches. So the audit trail costs a step little, and a slow or failing sink holds up neither the run nor
/// the other sinks. When a queue is full, events are dropped and counted. <see cref="CompleteAsync"/> waits (up to the
/// flush timeout) for the sinks to take everything and reports what went wrong as warnings: the run's result never changes.
/// </summary>
internal sealed class AuditTrail
{
    private const int MaxBatch = 256;

    private readonly Channel<Entry> _entries;
    private readonly SinkQueue[] _sinks;
    private readonly AuditRedactor _redactor;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _dispatcher;
    private long _sequence;

    public AuditTrail(IReadOnlyList<IAuditSink> sinks, AuditRedactor redactor, AuditOptions options, TimeProvider time, ILogger logger, string executionId, string? workflowId, string agentId, string userId, long lastSequence)
    {
        _sequence = lastSequence;
        _redactor = redactor;
        _options = options;
        _time = time;
        _logger = logger;
        ExecutionId = executionId;
        WorkflowId = workflowId;
        AgentId = agentId;
        UserId = userId;
        _sinks = new SinkQueue[sinks.Count];
        for (var i = 0; i < sinks.Count; i++)
        {
            _sinks[i] = new SinkQueue(sinks[i], options.BufferCapacity, logger, executionId);
        }

        // Unbounded on purpose: the dispatcher never waits on a sink, so this queue only holds what it has not had a
        // CPU for yet. The bound that matters (a sink falling behind) is each sink's own queue.
        _entries = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
        _dispatcher = Task.Run(DispatchAsync);
    }

    public string ExecutionId { get; }

    public string? WorkflowId { get; }

    public string AgentId { get; }

    public string UserId { get; }

    /// <summary>The number of the last event numbered (the next trail of the same run goes on from it once this one is complete).</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    /// <summary>Queues an event for every sink; never blocks.</summary>
    public void Write(AuditEventKind kind, string message, string? stepId = null, JsonElement details = default, AuditSeverity? severity = null) =>
        Enqueue(new Entry(_time.GetUtcNow()) { Kind = kind, Severity = severity, Message = message, StepId = stepId, Details = details });

    public void RunStarted(JsonElement inputs, int steps) => Enqueue(new Entry(_time.GetUtcNow())
    {
        Kind = AuditEventKind.ExecutionStarted,
        Message = $"Run of workflow '{WorkflowId}' started for user '{UserId}'.",
        Details = inputs,
        Count = steps,
        Build = BuildRunStarted,
    });

    /// <summary>A step's end, with its parameters when it ran (skipped and cancelled steps have none): captured now, built later.</summary>
    public void StepFinished(StepRecord record, string prefix, string iterationKey, JsonElement parameters)
    {
        if (!_options.IncludeStepEvents)
        {
            return;
        }

        Enqueue(new Entry(_time.GetUtcNow())
        {
            StepId = string.Concat(prefix, iterationKey, record.Step.Id),
            Step = record.Step,
            Status = record.Status,
            UsedFallback = record.UsedFallback,
            Message = record.Status == StepStatus.Failed ? record.Error : record.SkipReason,
            ErrorCode = record.ErrorCode,
            Count = record.Attempts,
            Span = record.ExecutionTime,
            Model = record.Model,
            Usage = record.UsageIfAny is { } usage ? (usage.InputTokens, usage.OutputTokens, usage.Cost) : default,
            Details = parameters,
            Build = BuildStepFinished,
        });
    }

    public void StepRetried(StepContext context, int attempt, string? error, string? errorCode, TimeSpan delay)
    {
        if (!_options.IncludeStepEvents)
        {
            return;
        }

        Enqueue(new Entry(_time.GetUtcNow())
        {
            Kind = AuditEventKind.StepRetried,
            StepId = string.Concat(context.Run.AuditStepPrefix, context.IterationKey, context.StepId),
            Message = error,
            ErrorCode = errorCode,
            Count = attempt,
            Span = delay,
            Build = BuildStepRetried,
        });
    }

    /// <summary>Closes the trail and waits, up to the flush timeout, for the sinks to take everything; returns what went wrong.</summary>
    public async ValueTask<List<string>> CompleteAsync()
    {
        _entries.Writer.TryComplete();
        var warnings = new List<string>();
        try
        {
            // The dispatcher never waits on a sink, so it ends as soon as it has handed everything on.
            await _dispatcher.WaitAsync(_options.FlushTimeout, _time).ConfigureAwait(false);
            await Task.WhenAll(_sinks.Select(s => s.Pump)).WaitAsync(_options.FlushTimeout, _time).ConfigureAwait(false);
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

    private void Enqueue(Entry entry) => _entries.Writer.TryWrite(entry);

    private async Task DispatchAsync()
    {
        var reader = _entries.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var entry))
            {
                AuditEvent @event;
                try
                {
                    @event = entry.Build is { } build ? build(this, entry) : Plain(entry);
                }
                catch (Exception ex)
                {
                    // A bug in building one event must not stop the trail.
                    Log.AuditSinkFailed(_logger, ex, ExecutionId, nameof(AuditTrail), 1);
                    continue;
                }

                foreach (var sink in _sinks)
                {
                    sink.Enqueue(@event);
                }
            }
        }

        // Every event is handed on: the sinks' queues close, and their writers end once they have written them.
        foreach (var sink in _sinks)
        {
            sink.Complete();
        }
    }

    private AuditEvent Event(Entry entry, AuditEventKind kind, string message, JsonElement details, AuditSeverity? severity = null) => new()
    {
        Kind = kind,
        Severity = severity ?? kind.DefaultSeverity,
        Timestamp = entry.Timestamp,
        ExecutionId = ExecutionId,
        WorkflowId = WorkflowId,
        AgentId = AgentId,
        UserId = UserId,
        StepId = entry.StepId,
        Message = message,
        Details = details,

        // Numbered last, once the event is built, so a build that fails leaves no gap.
        Sequence = Interlocked.Increment(ref _sequence),
    };

    private AuditEvent Plain(Entry entry) => Event(entry, entry.Kind!, entry.Message ?? string.Empty, entry.Details, entry.Severity);

    private static AuditEvent BuildRunStarted(AuditTrail trail, Entry entry)
    {
        var inputs = trail._redactor.Redact(entry.Details.ValueKind == JsonValueKind.Undefined ? JsonValues.EmptyObject : entry.Details);
        return trail.Event(entry, AuditEventKind.ExecutionStarted, entry.Message!, JsonValues.Write(static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("steps", state.Count);
            writer.WritePropertyName("inputs");
            state.inputs.WriteTo(writer);
            writer.WriteEndObject();
        }, (inputs, entry.Count)));
    }

    private static AuditEvent BuildStepRetried(AuditTrail trail, Entry entry) => trail.Event(
        entry,
        AuditEventKind.StepRetried,
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

    private static AuditEvent BuildStepFinished(AuditTrail trail, Entry entry)
    {
        var step = entry.Step!;
        var (kind, message) = entry.Status switch
        {
            StepStatus.Succeeded => (AuditEventKind.StepExecuted, $"Step '{step.Id}' succeeded."),
            StepStatus.Failed when entry.UsedFallback => (AuditEventKind.StepFailed, $"Step '{step.Id}' failed and its fallback stood in: {entry.Message}"),
            StepStatus.Failed => (AuditEventKind.StepFailed, $"Step '{step.Id}' failed: {entry.Message}"),
            StepStatus.Skipped => (AuditEventKind.StepSkipped, $"Step '{step.Id}' was skipped: {entry.Message}"),
            StepStatus.Suspended => (AuditEventKind.StepSuspended, $"Step '{step.Id}' waits for approval."),
            _ => (AuditEventKind.StepCancelled, $"Step '{step.Id}' was cancelled: {entry.Message}"),
        };

        var parameters = entry.Details;
        if (parameters.ValueKind == JsonValueKind.Object && step is ActionStep action)
        {
            parameters = trail._redactor.RedactParameters(parameters, action.Plugin, action.Action);
        }
        else if (parameters.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            parameters = trail._redactor.Redact(parameters);
        }

        return trail.Event(entry, kind, message, JsonValues.Write(static (writer, state) =>
        {
            var (entry, parameters) = state;
            var step = entry.Step!;
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
            if (entry.ErrorCode is not null)
            {
                writer.WriteString("error_code", entry.ErrorCode);
            }

            if (entry.Model is not null)
            {
                writer.WriteString("model", entry.Model);
            }

            if (entry.Usage.InputTokens + entry.Usage.OutputTokens > 0)
            {
                writer.WriteNumber("input_tokens", entry.Usage.InputTokens);
                writer.WriteNumber("output_tokens", entry.Usage.OutputTokens);
                writer.WriteNumber("cost", entry.Usage.Cost);
            }

            if (parameters.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                writer.WritePropertyName("parameters");
                parameters.WriteTo(writer);
            }

            writer.WriteEndObject();
        }, (entry, parameters)));
    }

    /// <summary>What happened, as captured on the run's thread: the fields a kind of event needs, and how to build it.</summary>
    private sealed class Entry(DateTimeOffset timestamp)
    {
        public DateTimeOffset Timestamp { get; } = timestamp;

        public AuditEventKind? Kind { get; init; }

        public AuditSeverity? Severity { get; init; }

        public string? Message { get; init; }

        public string? StepId { get; init; }

        public string? ErrorCode { get; init; }

        public JsonElement Details { get; init; }

        public int Count { get; init; }

        /// <summary>A retry's delay, or a finished step's duration.</summary>
        public TimeSpan Span { get; init; }

        /// <summary>For step events: the step, and its facts copied when it finished (the record is not read from another thread).</summary>
        public WorkflowStep? Step { get; init; }

        public StepStatus Status { get; init; }

        public bool UsedFallback { get; init; }

        public string? Model { get; init; }

        public (long InputTokens, long OutputTokens, decimal Cost) Usage { get; init; }

        public Func<AuditTrail, Entry, AuditEvent>? Build { get; init; }
    }

    /// <summary>One sink's bounded queue and the task that writes it in batches.</summary>
    private sealed class SinkQueue
    {
        private readonly Channel<AuditEvent> _queue;
        private readonly IAuditSink _sink;
        private readonly ILogger _logger;
        private readonly string _executionId;
        private long _dropped;
        private int _failedBatches;
        private string? _firstError;

        public SinkQueue(IAuditSink sink, int capacity, ILogger logger, string executionId)
        {
            _sink = sink;
            _logger = logger;
            _executionId = executionId;
            _queue = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full, so drops are counted here.
            });

            // Started on the thread pool so a sink that blocks synchronously never blocks the run.
            Pump = Task.Run(PumpAsync);
        }

        public Task Pump { get; }

        private string Name => _sink.GetType().Name;

        public void Enqueue(AuditEvent @event)
        {
            if (!_queue.Writer.TryWrite(@event))
            {
                Interlocked.Increment(ref _dropped);
            }
        }

        public void Complete() => _queue.Writer.TryComplete();

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

            if (!Pump.IsCompleted)
            {
                warnings.Add($"Audit sink {Name} had not taken all of this run's events {options.FlushTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s after the run ended; they are written in the background.");
            }
        }

        private async Task PumpAsync()
        {
            var reader = _queue.Reader;
            var batch = new List<AuditEvent>(16);
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var @event))
                {
                    batch.Add(@event);
                }

                try
                {
                    await _sink.WriteAsync(batch).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // A sink's failure is its own: counted, logged and reported on the run, never thrown into it.
                    if (Interlocked.Increment(ref _failedBatches) == 1)
                    {
                        _firstError = $"{ex.GetType().Name}: {ex.Message}";
                    }

                    Log.AuditSinkFailed(_logger, ex, _executionId, Name, batch.Count);
                }

                // A fresh list: the sink was told the list is not reused after the call, and may have kept it.
                batch = new List<AuditEvent>(16);
            }
        }
    }
}
