using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Auditing;

/// <summary>
/// When the audit trail hands events to the sinks: at the latest when the run pauses (a step that did not complete at
/// once), every <see cref="AuditTrail.DispatchThreshold"/> events during a run that never pauses, and the rest at its end,
/// always in sequence order and to every sink alike.
/// </summary>
public class AuditDeliveryTests
{
    private readonly InMemoryAuditSink _memorySink = new();
    private readonly SecondAuditSink _queuedSink = new();
    private readonly ScriptedPluginExecutor _plugins = new();

    public AuditDeliveryTests() => _plugins.On("p.ok", """{ "ok": true }""");

    private WorkflowOrchestrator CreateSut() => AuditTestKit.CreateSut(_plugins, [_memorySink, _queuedSink], new FakeTimeProvider());

    private static WorkflowDefinition Chain(int steps, string lastAction)
    {
        var json = new StringBuilder("""{ "id": "wf-1", "workflow_steps": [""");
        for (var i = 1; i <= steps; i++)
        {
            var action = i == steps ? lastAction : "ok";
            var dependencies = i == 1 ? string.Empty : $$""", "dependencies": ["s{{i - 1}}"]""";
            json.Append(i == 1 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $$"""{ "id": "s{{i}}", "type": "action", "plugin": "p", "action": "{{action}}"{{dependencies}} }""");
        }

        return Workflows.Load(json.Append("] }").ToString());
    }

    private static int StepEvents(IEnumerable<AuditEvent> events) => events.Count(e => e.Kind == AuditEventKind.StepExecuted);

    [Fact]
    public async Task ExecuteAsync_StepWaitsOnSomethingSlow_EventsSoFarReachEverySinkBeforeTheStepEnds()
    {
        var release = new TaskCompletionSource<PluginResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _plugins.On("p.slow", (_, _) => new ValueTask<PluginResult>(release.Task));

        var run = CreateSut().ExecuteAsync(Chain(3, "slow"), AuditTestKit.Request()).AsTask();

        // The run paused in s3: the start and s1, s2 are handed on now, not when the run ends.
        await AuditTestKit.EventuallyAsync(() => StepEvents(_memorySink.Events) == 2 && StepEvents(_queuedSink.Events) == 2);
        Assert.False(run.IsCompleted);
        Assert.Equal(AuditEventKind.ExecutionStarted, _memorySink.Events[0].Kind);

        release.SetResult(PluginResult.Ok(Json.Parse("{}")));
        var result = await run.WaitAsync(AuditTestKit.Patience);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Empty(result.Warnings);
        var events = _memorySink.EventsOf("run-1");
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(events.Select(e => e.Sequence), _queuedSink.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ExecuteAsync_LongRunThatNeverPauses_SinksGetEventsWhileItRuns()
    {
        // The last step blocks its thread (synchronously, so the run never pauses) until a sink holds a threshold's worth
        // of step events, which only a dispatch started by the threshold can deliver.
        var steps = (AuditTrail.DispatchThreshold * 2) + 1;
        var sawEventsWhileRunning = false;
        _plugins.On("p.watch", _ =>
        {
            sawEventsWhileRunning = SpinWait.SpinUntil(() => StepEvents(_memorySink.Events) >= AuditTrail.DispatchThreshold - 1, AuditTestKit.Patience);
            return PluginResult.Ok(Json.Parse("{}"));
        });

        var result = await CreateSut().ExecuteAsync(Chain(steps, "watch"), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.True(sawEventsWhileRunning, "no event reached the sink while the run went on without pausing");
        var events = _memorySink.EventsOf("run-1");
        Assert.Equal(steps + 2, events.Count);
        Assert.Equal(Enumerable.Range(1, steps + 2).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(events.Select(e => e.Sequence), _queuedSink.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ExecuteAsync_ManyRunsAtOnce_EachRunsTrailIsCompleteAndInOrderInEverySink()
    {
        var sut = CreateSut();
        _plugins.On("p.yield", async (_, _) =>
        {
            await Task.Yield();
            return PluginResult.Ok(Json.Parse("{}"));
        });

        var runs = Enumerable.Range(0, 50).Select(i => sut.ExecuteAsync(Chain(10, i % 2 == 0 ? "yield" : "ok"), AuditTestKit.Request(executionId: $"run-{i}")).AsTask());
        var results = await Task.WhenAll(runs).WaitAsync(AuditTestKit.Patience);

        Assert.All(results, r => Assert.Equal(ExecutionStatus.Succeeded, r.Status));
        for (var i = 0; i < 50; i++)
        {
            var id = $"run-{i}";
            Assert.Equal(Enumerable.Range(1, 12).Select(n => (long)n), _memorySink.Events.Where(e => e.ExecutionId == id).Select(e => e.Sequence));
            Assert.Equal(Enumerable.Range(1, 12).Select(n => (long)n), _queuedSink.Events.Where(e => e.ExecutionId == id).Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task ExecuteAsync_EventsKeptByTheInMemorySink_AreTheObjectsOtherSinksGotAndTheSameOnEveryRead()
    {
        var result = await CreateSut().ExecuteAsync(Chain(3, "ok"), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var first = _memorySink.EventsOf("run-1");
        var second = _memorySink.Events;
        var queued = _queuedSink.Events.ToArray();
        Assert.Equal(5, first.Count);
        for (var i = 0; i < first.Count; i++)
        {
            // The in-memory sink keeps what the trail captured and makes each public event once, on first read.
            Assert.Same(first[i], second[i]);
            Assert.Same(first[i], queued[i]);
        }

        Assert.Equal("Step 's2' succeeded.", first[2].Message);
        Assert.Equal("succeeded", first[2].Details.GetProperty("status").GetString());
        Assert.Equal(["wf-1", "wf-1", "wf-1", "wf-1", "wf-1"], first.Select(e => e.WorkflowId));
    }

    [Fact]
    public async Task ExecuteAsync_OnlyTheInMemorySink_ItsEventsCarryTheRunsIdentityAndNumbers()
    {
        var sink = new InMemoryAuditSink();
        var sut = AuditTestKit.CreateSut(_plugins, [sink], new FakeTimeProvider());

        await sut.ExecuteAsync(Chain(2, "ok"), AuditTestKit.Request());

        var events = sink.EventsOf("run-1");
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal("run-1", e.ExecutionId));
        Assert.Equal([AuditEventKind.ExecutionStarted, AuditEventKind.StepExecuted, AuditEventKind.StepExecuted, AuditEventKind.ExecutionCompleted], events.Select(e => e.Kind));
        Assert.Equal(["s1", "s2"], events.Skip(1).Take(2).Select(e => e.StepId));
    }
}
