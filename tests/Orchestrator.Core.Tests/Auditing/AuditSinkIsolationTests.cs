using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Auditing;

public partial class AuditSinkIsolationTests
{
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor().On("p.ok", """{ "ok": true }""");

    private static WorkflowDefinition Steps(int count) => Workflows.Load(
        "{ \"id\": \"wf\", \"workflow_steps\": [ "
        + string.Join(", ", Enumerable.Range(1, count).Select(i => $$"""{ "id": "s{{i}}", "type": "action", "plugin": "p", "action": "ok" }"""))
        + " ] }");

    private static WorkflowOrchestratorOptions Flush(TimeSpan timeout, int capacity = 10_000)
    {
        var options = new WorkflowOrchestratorOptions();
        options.Audit.FlushTimeout = timeout;
        options.Audit.BufferCapacity = capacity;
        return options;
    }

    [GeneratedRegex(@"(\d+) events of this run were dropped")]
    private static partial Regex DroppedCount();

    [Fact]
    public async Task ExecuteAsync_SinkThrows_StatusUnchangedWarningNamesSinkOtherSinkGetsEveryEvent()
    {
        var throwing = new ThrowingAuditSink();
        var memory = new InMemoryAuditSink();

        var result = await AuditTestKit.CreateSut(_plugins, [throwing, memory]).ExecuteAsync(Steps(2), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains(nameof(ThrowingAuditSink), warning, StringComparison.Ordinal);
        Assert.Contains("audit store is down", warning, StringComparison.Ordinal);
        Assert.Equal(4, memory.Events.Count);
        Assert.Equal([1L, 2L, 3L, 4L], memory.Events.Select(e => e.Sequence));
        Assert.True(throwing.Calls >= 1);
        Assert.Equal(2, _plugins.Calls.Count);
    }

    [Fact]
    public async Task ExecuteAsync_FailingRunAndThrowingSink_StillFailedNotChangedBySink()
    {
        _plugins.On("p.bad", _ => PluginResult.Fail("no", "BAD"));
        var result = await AuditTestKit.CreateSut(_plugins, [new ThrowingAuditSink()])
            .ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "bad" } ]"""), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("BAD", result.ErrorCode);
        Assert.Contains(result.Warnings, w => w.Contains(nameof(ThrowingAuditSink), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_RejectedRunAndThrowingSink_RejectedWithSinkWarning()
    {
        var result = await AuditTestKit.CreateSut(_plugins, [new ThrowingAuditSink()], options: new WorkflowOrchestratorOptions { Enabled = false })
            .ExecuteAsync(Steps(1), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Contains(result.Warnings, w => w.Contains(nameof(ThrowingAuditSink), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_SinkNeverCompletes_RunReturnsAfterFlushTimeoutWithWarningStatusUnchanged()
    {
        var hanging = new GatedAuditSink();
        var memory = new InMemoryAuditSink();
        var sut = AuditTestKit.CreateSut(_plugins, [hanging, memory], TimeProvider.System, Flush(TimeSpan.FromMilliseconds(200)));

        var result = await sut.ExecuteAsync(Steps(2), AuditTestKit.Request()).AsTask().WaitAsync(AuditTestKit.Patience);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var warning = Assert.Single(result.Warnings, w => w.Contains(nameof(GatedAuditSink), StringComparison.Ordinal));
        Assert.Contains("background", warning, StringComparison.Ordinal);
        Assert.Empty(hanging.Events);

        // The healthy sink is not held up by the hanging one (waited for, not timed: the machine may be busy).
        await AuditTestKit.EventuallyAsync(() => memory.Events.Count == 4);

        // Once the sink takes events again, what was buffered still reaches it, in order.
        hanging.Release();
        await AuditTestKit.EventuallyAsync(() => hanging.Events.Count == 4);
        Assert.Equal([1L, 2L, 3L, 4L], hanging.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ExecuteAsync_BufferOverflowsBehindABlockedSink_DroppedCountReportedRestDeliveredInOrder()
    {
        var blocked = new GatedAuditSink();

        // The first step waits until the sink has taken the first event (EXECUTION_STARTED) and blocked on it; the
        // others follow it. So exactly two more events fit in the buffer and the remaining nine are dropped.
        _plugins.On("p.first", async (_, ct) =>
        {
            await blocked.Entered.Task.WaitAsync(AuditTestKit.Patience, ct);
            return PluginResult.Ok(Json.Parse("{}"));
        });
        var workflow = Workflows.Load(
            "{ \"id\": \"wf\", \"workflow_steps\": [ { \"id\": \"s1\", \"type\": \"action\", \"plugin\": \"p\", \"action\": \"first\" }, "
            + string.Join(", ", Enumerable.Range(2, 9).Select(i => $$"""{ "id": "s{{i}}", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["s1"] }"""))
            + " ] }");
        var sut = AuditTestKit.CreateSut(_plugins, [blocked], TimeProvider.System, Flush(TimeSpan.FromMilliseconds(200), capacity: 2));

        var result = await sut.ExecuteAsync(workflow, AuditTestKit.Request()).AsTask().WaitAsync(AuditTestKit.Patience);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var dropWarning = Assert.Single(result.Warnings, w => w.Contains("dropped", StringComparison.Ordinal));
        Assert.Contains(nameof(GatedAuditSink), dropWarning, StringComparison.Ordinal);
        Assert.Equal("9", DroppedCount().Match(dropWarning).Groups[1].Value);
        Assert.Contains(result.Warnings, w => w.Contains("background", StringComparison.Ordinal));

        blocked.Release();
        await AuditTestKit.EventuallyAsync(() => blocked.Events.Count == 3);
        Assert.Equal([1L, 2L, 3L], blocked.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ExecuteAsync_SmallBufferAndAFastSink_NoWarningWhenNothingIsDropped()
    {
        var memory = new InMemoryAuditSink();
        var sut = AuditTestKit.CreateSut(_plugins, [memory], options: Flush(TimeSpan.FromSeconds(5), capacity: 100));

        var result = await sut.ExecuteAsync(Steps(10), AuditTestKit.Request());

        Assert.Empty(result.Warnings);
        Assert.Equal(12, memory.Events.Count);
    }

    [Fact]
    public async Task ExecuteAsync_SinkBlocksItsThreadSynchronously_RunStillReturnsAfterFlushTimeout()
    {
        using var gate = new ManualResetEventSlim();
        var blocking = new BlockingAuditSink(gate);
        var sut = AuditTestKit.CreateSut(_plugins, [blocking], TimeProvider.System, Flush(TimeSpan.FromMilliseconds(200)));
        try
        {
            var result = await sut.ExecuteAsync(Steps(3), AuditTestKit.Request()).AsTask().WaitAsync(AuditTestKit.Patience);

            Assert.Equal(ExecutionStatus.Succeeded, result.Status);
            Assert.Contains(result.Warnings, w => w.Contains(nameof(BlockingAuditSink), StringComparison.Ordinal));
            Assert.Equal(3, _plugins.Calls.Count);
        }
        finally
        {
            gate.Set();
        }
    }

    private sealed class BlockingAuditSink(ManualResetEventSlim gate) : IAuditSink
    {
        public ValueTask WriteAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
        {
            gate.Wait(AuditTestKit.Patience, CancellationToken.None);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task ExecuteAsync_SeveralSinks_EachGetsTheSameEventsInTheSameOrder()
    {
        var first = new InMemoryAuditSink();
        var second = new InMemoryAuditSink();

        await AuditTestKit.CreateSut(_plugins, [first, second]).ExecuteAsync(Steps(3), AuditTestKit.Request());

        Assert.Equal(5, first.Events.Count);
        Assert.Equal(first.Events, second.Events);
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentRunsWithParallelSteps_EachRunNumberedOneToNWithoutGaps()
    {
        var memory = new InMemoryAuditSink();
        var sut = AuditTestKit.CreateSut(_plugins, [memory]);
        var workflow = Workflows.Load("""
            { "id": "wf", "workflow_steps": [ { "id": "group", "type": "parallel_group", "steps": [
              { "id": "a", "type": "action", "plugin": "p", "action": "ok" },
              { "id": "b", "type": "action", "plugin": "p", "action": "ok" },
              { "id": "c", "type": "action", "plugin": "p", "action": "ok" } ] } ] }
            """);

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => sut.ExecuteAsync(workflow, AuditTestKit.Request(executionId: $"run-{i}")).AsTask()));

        Assert.All(results, r => Assert.Equal(ExecutionStatus.Succeeded, r.Status));
        for (var i = 1; i <= 8; i++)
        {
            var events = memory.Events.Where(e => e.ExecutionId == $"run-{i}").ToList();
            Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], events.Select(e => e.Sequence)); // Received in sequence order too.
            Assert.Same(AuditEventKind.ExecutionStarted, events[0].Kind);
            Assert.Same(AuditEventKind.ExecutionCompleted, events[^1].Kind);
        }
    }

    [Fact]
    public async Task ExecuteAsync_NoSinks_RunsWithoutWarnings()
    {
        var result = await AuditTestKit.CreateSut(_plugins, []).ExecuteAsync(Steps(1), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task InMemoryAuditSink_OverCapacity_KeepsTheNewest()
    {
        var sink = new InMemoryAuditSink(capacity: 2);
        var events = Enumerable.Range(1, 3).Select(i => new AuditEvent
        {
            Kind = AuditEventKind.StepExecuted,
            Severity = AuditSeverity.Info,
            Timestamp = DateTimeOffset.UnixEpoch,
            ExecutionId = "r",
            Message = "m",
            Sequence = i,
        }).ToList();

        await sink.WriteAsync(events);

        Assert.Equal([2L, 3L], sink.Events.Select(e => e.Sequence));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryAuditSink(0));
    }

    private static ServiceProvider Build(Action<IOrchestratorBuilder> configure, ScriptedPluginExecutor plugins)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        var builder = services.AddWorkflowOrchestrator(o => o.Memory.Enabled = false).AddPluginExecutor(_ => plugins);
        configure(builder);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddWorkflowOrchestrator_NoSinkAdded_InMemoryDefaultReceivesTheTrail()
    {
        using var provider = Build(_ => { }, _plugins);

        await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(Steps(1), AuditTestKit.Request());

        var sink = Assert.IsType<InMemoryAuditSink>(Assert.Single(provider.GetServices<IAuditSink>()));
        Assert.Equal(3, sink.EventsOf("run-1").Count);
    }

    [Fact]
    public async Task AddAuditSink_SeveralSinks_AllReceiveAndTheInMemoryDefaultIsReplaced()
    {
        var instance = new InMemoryAuditSink();
        var fromFactory = new InMemoryAuditSink();
        using var provider = Build(b => b.AddAuditSink(instance).AddAuditSink<SecondAuditSink>().AddAuditSink(_ => fromFactory).AddAuditSink<SecondAuditSink>(), _plugins);

        await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(Steps(1), AuditTestKit.Request());

        var sinks = provider.GetServices<IAuditSink>().ToList();
        Assert.Equal(3, sinks.Count);
        Assert.Contains(instance, sinks);
        Assert.Contains(fromFactory, sinks);
        var second = Assert.Single(sinks.OfType<SecondAuditSink>());
        Assert.Equal(3, instance.Events.Count);
        Assert.Equal(3, fromFactory.Events.Count);
        Assert.Equal(3, second.Events.Count);
    }

    [Fact]
    public async Task AddAuditSink_ThrowingSinkInContainer_OtherSinkGetsEverythingStatusUnchanged()
    {
        var memory = new InMemoryAuditSink();
        using var provider = Build(b => b.AddAuditSink<ThrowingAuditSink>().AddAuditSink(memory), _plugins);

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(Steps(2), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Contains(result.Warnings, w => w.Contains(nameof(ThrowingAuditSink), StringComparison.Ordinal));
        Assert.Equal(4, memory.Events.Count);
    }

    [Fact]
    public void AddAuditSink_SinkRegisteredBeforeAddWorkflowOrchestrator_NoInMemoryDefaultAdded()
    {
        var services = new ServiceCollection();
        var mine = new InMemoryAuditSink();
        services.AddSingleton<IAuditSink>(mine);
        services.AddWorkflowOrchestrator();
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, Assert.Single(provider.GetServices<IAuditSink>()));
    }
}
