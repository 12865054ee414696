using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Durability.Testing;

/// <summary>
/// What every <see cref="IAuditSink"/> that can be read back must do, written once: each sink's test project derives
/// from this class and says how to create the sink and read a run's events. Every test uses fresh execution ids.
/// </summary>
public abstract class AuditSinkBehaviourTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private IAuditSink? _sink;

    /// <summary>The sink under test; the test is skipped (with <see cref="UnavailableReason"/>) when there is none.</summary>
    protected IAuditSink Sink => _sink ?? throw new SkipException(UnavailableReason ?? "The sink is not available.");

    /// <summary>Why the sink cannot be tested here (such as a database server that is not configured), or null.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>Creates the sink under test (called once per test); null when it is not available.</summary>
    protected abstract ValueTask<IAuditSink?> CreateSinkAsync();

    /// <summary>Reads one run's stored events back, in order.</summary>
    protected abstract ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(string executionId);

    /// <summary>Releases what <see cref="CreateSinkAsync"/> made.</summary>
    protected virtual ValueTask DisposeSinkAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _sink = await CreateSinkAsync();

    public async Task DisposeAsync() => await DisposeSinkAsync();

    public static string NewId() => "run-" + Guid.NewGuid().ToString("N");

    public static AuditEvent Event(string executionId, long sequence, AuditEventKind? kind = null, string? message = null) => new()
    {
        Kind = kind ?? AuditEventKind.StepExecuted,
        Severity = (kind ?? AuditEventKind.StepExecuted).DefaultSeverity,
        Timestamp = Start.AddSeconds(sequence),
        ExecutionId = executionId,
        Message = message ?? $"event {sequence}",
        Sequence = sequence,
    };

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [SkippableFact]
    public async Task WriteAsync_Batch_IsReadBackInOrder()
    {
        var id = NewId();
        await Sink.WriteAsync([.. Enumerable.Range(1, 20).Select(i => Event(id, i))]);
        await Sink.WriteAsync([Event(id, 21), Event(id, 22)]);

        var events = await ReadAsync(id);

        Assert.Equal(Enumerable.Range(1, 22).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 22).Select(i => $"event {i}"), events.Select(e => e.Message));
    }

    [SkippableFact]
    public async Task WriteAsync_EveryField_RoundTrips()
    {
        var id = NewId();
        var details = Parse("""{ "plugin": "mail", "attempts": 2, "cost": 0.0125, "tags": ["a", "ü ✓"], "nested": { "ok": true, "none": null }, "token": "[REDACTED]" }""");
        var written = new AuditEvent
        {
            Kind = AuditEventKind.StepFailed,
            Severity = AuditSeverity.Critical,
            Timestamp = new DateTimeOffset(2026, 11, 24, 11, 15, 30, 250, TimeSpan.FromHours(-5)),
            ExecutionId = id,
            WorkflowId = "wf-1",
            AgentId = "mail-agent",
            UserId = "u1",
            StepId = "loop[2]/send",
            Message = "Step 'send' failed: \"quoted\" ✓",
            Details = details,
            Sequence = 7,
        };

        var read = Assert.Single(await WriteAndReadAsync(id, written));

        Assert.Same(AuditEventKind.StepFailed, read.Kind);
        Assert.Same(AuditSeverity.Critical, read.Severity);
        Assert.Equal(written.Timestamp, read.Timestamp); // the same instant (a store may give it back in UTC)
        Assert.Equal(id, read.ExecutionId);
        Assert.Equal("wf-1", read.WorkflowId);
        Assert.Equal("mail-agent", read.AgentId);
        Assert.Equal("u1", read.UserId);
        Assert.Equal("loop[2]/send", read.StepId);
        Assert.Equal(written.Message, read.Message);
        Assert.Equal(7, read.Sequence);
        Assert.True(JsonElement.DeepEquals(details, read.Details), read.Details.ToString());
    }

    [SkippableFact]
    public async Task WriteAsync_NoDetailsAndNoOptionalFields_ReadBackUndefinedAndNull()
    {
        var id = NewId();

        var read = Assert.Single(await WriteAndReadAsync(id, Event(id, 1)));

        Assert.Equal(JsonValueKind.Undefined, read.Details.ValueKind);
        Assert.Null(read.WorkflowId);
        Assert.Null(read.AgentId);
        Assert.Null(read.UserId);
        Assert.Null(read.StepId);
    }

    [SkippableFact]
    public async Task WriteAsync_EveryKindAndSeverity_ReadBackAsTheSameInstances()
    {
        var id = NewId();
        var kinds = AuditEventKind.All;
        var batch = kinds.Select((kind, i) => Event(id, i + 1, kind) with { Severity = AuditSeverity.All[i % AuditSeverity.All.Count] }).ToArray();

        var read = await WriteAndReadAsync(id, batch);

        Assert.Equal(kinds, read.Select(e => e.Kind));
        Assert.Equal(batch.Select(e => e.Severity), read.Select(e => e.Severity));
    }

    [SkippableFact]
    public async Task WriteAsync_ConcurrentBatchesFromManyRuns_EachRunReadsItsOwnEventsInOrder()
    {
        var ids = Enumerable.Range(0, 20).Select(_ => NewId()).ToArray();

        // Each run writes its batches in order (as the audit trail's one writer per sink does); runs write at once.
        await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            for (var batch = 0; batch < 5; batch++)
            {
                await Sink.WriteAsync([.. Enumerable.Range((batch * 10) + 1, 10).Select(i => Event(id, i, message: $"{id} {i}"))]);
            }
        })));

        foreach (var id in ids)
        {
            var events = await ReadAsync(id);
            Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), events.Select(e => e.Sequence));
            Assert.All(events, e => Assert.Equal(id, e.ExecutionId));
            Assert.All(events, e => Assert.StartsWith(id, e.Message, StringComparison.Ordinal));
        }
    }

    [SkippableFact]
    public async Task WriteAsync_EmptyBatch_WritesNothing()
    {
        var id = NewId();

        await Sink.WriteAsync([]);

        Assert.Empty(await ReadAsync(id));
    }

    [SkippableFact]
    public async Task ReadAsync_AnotherRunsEvents_AreNotReturned()
    {
        var id = NewId();
        var other = NewId();
        await Sink.WriteAsync([Event(id, 1), Event(other, 1), Event(id, 2), Event(other, 2), Event(other, 3)]);

        Assert.Equal([1L, 2L], (await ReadAsync(id)).Select(e => e.Sequence));
        Assert.Equal(3, (await ReadAsync(other)).Count);
    }

    private async Task<IReadOnlyList<AuditEvent>> WriteAndReadAsync(string executionId, params AuditEvent[] events)
    {
        await Sink.WriteAsync(events);
        return await ReadAsync(executionId);
    }
}
