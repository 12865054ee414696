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
/// The audit trail of one run. Events are numbered and queued in order; each sink has its own bounded queue and one
/// writer task, so a slow or failing sink holds up neither the run nor the other sinks. When a queue is full, the
/// events for that sink are dropped and counted. <see cref="CompleteAsync"/> waits (up to the flush timeout) for the
/// sinks to take everything and reports what went wrong as warnings: the run's own result never changes.
/// </summary>
internal sealed class AuditTrail
{
    private const int MaxBatch = 256;

    private readonly SinkQueue[] _sinks;
    private readonly AuditRedactor _redactor;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _order = new();
    private long _sequence;

    public AuditTrail(IReadOnlyList<IAuditSink> sinks, AuditRedactor redactor, AuditOptions options, TimeProvider time, ILogger logger, string executionId, string? workflowId, string agentId, string userId, long lastSequence)
    {
        _sequence = lastSequence;
        _redactor = redactor;
        _options = options;
        _time = time;
        ExecutionId = executionId;
        WorkflowId = workflowId;
        AgentId = agentId;
        UserId = userId;
        _sinks = new SinkQueue[sinks.Count];
        for (var i = 0; i < sinks.Count; i++)
        {
            _sinks[i] = new SinkQueue(sinks[i], options.BufferCapacity, logger, executionId);
        }
    }

    public string ExecutionId { get; }

    public string? WorkflowId { get; }

    public string AgentId { get; }

    public string UserId { get; }

    public AuditRedactor Redactor => _redactor;

    /// <summary>The number of the last event written (the next trail of the same run goes on from it).</summary>
    public long LastSequence
    {
        get
        {
            lock (_order)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Writes an event to every sink's queue, in sequence order; never blocks on a sink.</summary>
    public void Write(AuditEventKind kind, string message, string? stepId = null, JsonElement details = default, AuditSeverity? severity = null)
    {
        lock (_order)
        {
            var @event = new AuditEvent
            {
                Kind = kind,
                Severity = severity ?? kind.DefaultSeverity,
                Timestamp = _time.GetUtcNow(),
                ExecutionId = ExecutionId,
                WorkflowId = WorkflowId,
                AgentId = AgentId,
                UserId = UserId,
                StepId = stepId,
                Message = message,
                Details = details,
                Sequence = ++_sequence,
            };
            foreach (var sink in _sinks)
            {
                sink.Enqueue(@event);
            }
        }
    }

    public void RunStarted(JsonElement inputs, int steps) => Write(
        AuditEventKind.ExecutionStarted,
        $"Run of workflow '{WorkflowId}' started for user '{UserId}'.",
        details: JsonValues.Write(static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("steps", state.steps);
            writer.WritePropertyName("inputs");
            state.inputs.WriteTo(writer);
            writer.WriteEndObject();
        }, (inputs: _redactor.Redact(inputs.ValueKind == JsonValueKind.Undefined ? JsonValues.EmptyObject : inputs), steps)));

    /// <summary>A step's end, with its redacted parameters when it ran (skipped and cancelled steps have none).</summary>
    public void StepFinished(StepRecord record, string iterationKey, JsonElement parameters)
    {
        if (!_options.IncludeStepEvents)
        {
            return;
        }

        var step = record.Step;
        var (kind, message) = record.Status switch
        {
            StepStatus.Succeeded => (AuditEventKind.StepExecuted, $"Step '{step.Id}' succeeded."),
            StepStatus.Failed when record.UsedFallback => (AuditEventKind.StepFailed, $"Step '{step.Id}' failed and its fallback stood in: {record.Error}"),
            StepStatus.Failed => (AuditEventKind.StepFailed, $"Step '{step.Id}' failed: {record.Error}"),
            StepStatus.Skipped => (AuditEventKind.StepSkipped, $"Step '{step.Id}' was skipped: {record.SkipReason}"),
            StepStatus.Suspended => (AuditEventKind.StepSuspended, $"Step '{step.Id}' waits for approval."),
            _ => (AuditEventKind.StepCancelled, $"Step '{step.Id}' was cancelled: {record.SkipReason}"),
        };

        if (parameters.ValueKind == JsonValueKind.Object && step is ActionStep action)
        {
            parameters = _redactor.RedactParameters(parameters, action.Plugin, action.Action);
        }
        else if (parameters.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            parameters = _redactor.Redact(parameters);
        }

        Write(kind, message, iterationKey + step.Id, JsonValues.Write(static (writer, state) =>
        {
            var (record, parameters) = state;
            var step = record.Step;
            writer.WriteStartObject();
            writer.WriteString("type", step.Type);
            writer.WriteString("status", record.Status.ToString().ToLowerInvariant());
            if (step is ActionStep action)
            {
                writer.WriteString("plugin", action.Plugin);
                writer.WriteString("action", action.Action);
            }

            writer.WriteNumber("attempts", record.Attempts);
            writer.WriteNumber("duration_ms", Math.Round(record.ExecutionTime.TotalMilliseconds, 3));
            if (record.ErrorCode is not null)
            {
                writer.WriteString("error_code", record.ErrorCode);
            }

            if (record.Model is not null)
            {
                writer.WriteString("model", record.Model);
            }

            var usage = record.ToResult();
            if (usage.TokensUsed > 0)
            {
                writer.WriteNumber("input_tokens", usage.InputTokens);
                writer.WriteNumber("output_tokens", usage.OutputTokens);
                writer.WriteNumber("cost", usage.Cost);
            }

            if (parameters.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                writer.WritePropertyName("parameters");
                parameters.WriteTo(writer);
            }

            writer.WriteEndObject();
        }, (record, parameters)));
    }

    public void StepRetried(StepContext context, int attempt, string? error, string? errorCode, TimeSpan delay)
    {
        if (!_options.IncludeStepEvents)
        {
            return;
        }

        Write(
            AuditEventKind.StepRetried,
            $"Step '{context.StepId}' failed and is retried (attempt {attempt.ToString(CultureInfo.InvariantCulture)}): {error}",
            context.IterationKey + context.StepId,
            JsonValues.Write(static (writer, state) =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("attempt", state.attempt);
                writer.WriteNumber("delay_ms", state.delay.TotalMilliseconds);
                if (state.errorCode is not null)
                {
                    writer.WriteString("error_code", state.errorCode);
                }

                writer.WriteEndObject();
            }, (attempt, delay, errorCode)));
    }

    /// <summary>Closes the queues and waits, up to the flush timeout, for the sinks to take everything; returns what went wrong.</summary>
    public async ValueTask<List<string>> CompleteAsync()
    {
        foreach (var sink in _sinks)
        {
            sink.Complete();
        }

        var warnings = new List<string>();
        var all = Task.WhenAll(_sinks.Select(s => s.Pump));
        try
        {
            await all.WaitAsync(_options.FlushTimeout, _time).ConfigureAwait(false);
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
