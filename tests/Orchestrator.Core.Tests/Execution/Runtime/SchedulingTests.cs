using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class SchedulingTests
{
    [Fact]
    public async Task ExecuteAsync_FastChainBesideSlowBranch_FinishesChainWhileSlowStepIsBlocked()
    {
        var releaseA1 = new TaskCompletionSource();
        var b3Done = new TaskCompletionSource();
        var plugins = new ScriptedPluginExecutor()
            .On("slow.a1", RuntimeTestKit.Gated(releaseA1.Task, RuntimeTestKit.Ok("""{ "v": "a1" }""")))
            .On("slow.a2", _ => RuntimeTestKit.Ok())
            .On("fast.b", _ => RuntimeTestKit.Ok())
            .On("fast.b3", _ =>
            {
                b3Done.TrySetResult();
                return RuntimeTestKit.Ok();
            });
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load("""
            [
              { "id": "a1", "type": "action", "plugin": "slow", "action": "a1" },
              { "id": "a2", "type": "action", "plugin": "slow", "action": "a2", "dependencies": ["a1"] },
              { "id": "b1", "type": "action", "plugin": "fast", "action": "b" },
              { "id": "b2", "type": "action", "plugin": "fast", "action": "b", "dependencies": ["b1"] },
              { "id": "b3", "type": "action", "plugin": "fast", "action": "b3", "dependencies": ["b2"] }
            ]
            """);

        var run = sut.ExecuteAsync(workflow, RuntimeTestKit.Request()).AsTask();
        await b3Done.Task.Within();

        Assert.False(run.IsCompleted);
        Assert.Empty(plugins.CallsTo("slow.a2"));
        releaseA1.SetResult();
        var result = await run.Within();
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["a1", "b1", "b2", "b3", "a2"], plugins.Calls.Select(c => c.StepId));
    }

    [Fact]
    public async Task ExecuteAsync_StepCancelsTheRunWhileStepsReadyWithItWait_TheyDoNotStart()
    {
        using var cancel = new CancellationTokenSource();
        var plugins = new ScriptedPluginExecutor()
            .On("p.first", async (_, _) =>
            {
                await Task.Yield(); // A step that awaits: the steps it releases are then taken several at a time.
                return RuntimeTestKit.Ok();
            })
            .On("p.stop", _ =>
            {
                cancel.Cancel();
                return RuntimeTestKit.Ok();
            })
            .On("p.other", _ => RuntimeTestKit.Ok());
        var others = Enumerable.Range(1, 5).Select(i => $"o{i}").ToArray();
        var workflow = Workflows.Load($$"""
            [
              { "id": "first", "type": "action", "plugin": "p", "action": "first" },
              { "id": "stop", "type": "action", "plugin": "p", "action": "stop", "dependencies": ["first"] }
              {{string.Concat(others.Select(id => $$""", { "id": "{{id}}", "type": "action", "plugin": "p", "action": "other", "dependencies": ["first"] }"""))}}
            ]
            """);

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(workflow, RuntimeTestKit.Request(), cancel.Token).AsTask().Within();

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Empty(plugins.CallsTo("p.other"));
        Assert.All(others, id => Assert.Equal(StepStatus.Cancelled, result.Steps[id].Status));
        Assert.All(others, id => Assert.Equal(0, result.Steps[id].Attempts)); // Never started, not started and cancelled.
    }

    [Fact]
    public async Task ExecuteAsync_IndependentSteps_RunInParallelUpToMaxParallelism()
    {
        var gate = new TaskCompletionSource();
        var probe = new ConcurrencyProbe();
        var plugins = new ScriptedPluginExecutor().On("work.do", (_, ct) => probe.RunAsync(gate.Task, ct));
        var sut = RuntimeTestKit.CreateSut(plugins, options: new WorkflowOrchestratorOptions { MaxParallelism = 2 });
        var workflow = Workflows.Load("""
            [
              { "id": "s1", "type": "action", "plugin": "work", "action": "do" },
              { "id": "s2", "type": "action", "plugin": "work", "action": "do" },
              { "id": "s3", "type": "action", "plugin": "work", "action": "do" },
              { "id": "s4", "type": "action", "plugin": "work", "action": "do" },
              { "id": "s5", "type": "action", "plugin": "work", "action": "do" }
            ]
            """);

        var run = sut.ExecuteAsync(workflow, RuntimeTestKit.Request()).AsTask();
        await probe.Entered.WaitForAsync(2);

        Assert.Equal(2, plugins.Calls.Count);
        gate.SetResult();
        var result = await run.Within();
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(5, plugins.Calls.Count);
        Assert.Equal(2, probe.Max);
    }

    [Fact]
    public async Task ExecuteAsync_ManyIndependentSteps_StartAllAtOnceUnderTheDefaultLimit()
    {
        var gate = new TaskCompletionSource();
        var probe = new ConcurrencyProbe();
        var plugins = new ScriptedPluginExecutor().On("work.do", (_, ct) => probe.RunAsync(gate.Task, ct));
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load("""
            [
              { "id": "s1", "type": "action", "plugin": "work", "action": "do" },
              { "id": "s2", "type": "action", "plugin": "work", "action": "do" },
              { "id": "s3", "type": "action", "plugin": "work", "action": "do" },
              { "id": "s4", "type": "action", "plugin": "work", "action": "do" }
            ]
            """);

        var run = sut.ExecuteAsync(workflow, RuntimeTestKit.Request()).AsTask();
        await probe.Entered.WaitForAsync(4);

        gate.SetResult();
        Assert.Equal(ExecutionStatus.Succeeded, (await run.Within()).Status);
        Assert.Equal(4, probe.Max);
    }

    [Fact]
    public async Task ExecuteAsync_ParallelGroupWithMaxConcurrency_RunsAtMostThatManyChildrenAtOnce()
    {
        var gate = new TaskCompletionSource();
        var probe = new ConcurrencyProbe();
        var plugins = new ScriptedPluginExecutor().On("work.do", (_, ct) => probe.RunAsync(gate.Task, ct));
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load("""
            [
              { "id": "group", "type": "parallel_group", "maxConcurrency": 2, "steps": [
                { "id": "c1", "type": "action", "plugin": "work", "action": "do" },
                { "id": "c2", "type": "action", "plugin": "work", "action": "do" },
                { "id": "c3", "type": "action", "plugin": "work", "action": "do" },
                { "id": "c4", "type": "action", "plugin": "work", "action": "do" }
              ] }
            ]
            """);

        var run = sut.ExecuteAsync(workflow, RuntimeTestKit.Request()).AsTask();
        await probe.Entered.WaitForAsync(2);

        Assert.Equal(2, plugins.Calls.Count);
        gate.SetResult();
        var result = await run.Within();
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(4, plugins.Calls.Count);
        Assert.Equal(2, probe.Max);
        Assert.Equal(["c1", "c2", "c3", "c4"], result.Steps["group"].Data.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ExecuteAsync_SeedScenario_ThreeReadersRunAfterTheFirstStepWithItsData()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("crm.fetch", """{ "customer": { "name": "Ada", "tier": 3 } }""")
            .On("crm.use", r => PluginResult.Ok(r.Parameters));
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load("""
            [
              { "id": "fetch", "type": "action", "plugin": "crm", "action": "fetch" },
              { "id": "r1", "type": "action", "plugin": "crm", "action": "use", "params": { "name": "{{fetch.data.customer.name}}" } },
              { "id": "r2", "type": "action", "plugin": "crm", "action": "use", "params": { "tier": "{{fetch.data.customer.tier}}" } },
              { "id": "r3", "type": "action", "plugin": "crm", "action": "use", "params": { "text": "Hello {{fetch.data.customer.name}}" } }
            ]
            """);

        var result = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("fetch", plugins.Calls.First().StepId);
        Assert.Equal(4, plugins.Calls.Count);
        Assert.Equal("Ada", result.Steps["r1"].Data.GetProperty("name").GetString());
        Assert.Equal(3, result.Steps["r2"].Data.GetProperty("tier").GetInt32());
        Assert.Equal("Hello Ada", result.Steps["r3"].Data.GetProperty("text").GetString());
    }
}
