using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class RollbackTests
{
    [Fact]
    public async Task ExecuteAsync_LaterStepFails_CompensatesCompletedStepsInReverseCompletionOrderWithTheirOwnOutput()
    {
        var releaseX = new TaskCompletionSource();
        var yDone = new TaskCompletionSource();
        var plugins = new ScriptedPluginExecutor()
            .On("booking.reserve_flight", RuntimeTestKit.Gated(releaseX.Task, RuntimeTestKit.Ok("""{ "reservation": "F-1" }""")))
            .On("booking.reserve_hotel", _ =>
            {
                yDone.TrySetResult();
                return RuntimeTestKit.Ok("""{ "reservation": "H-7" }""");
            })
            .On("booking.log", "{}")
            .On("booking.cancel", "{}")
            .On("payments.charge", _ => PluginResult.Fail("card declined", "DECLINED"));
        var sut = RuntimeTestKit.CreateSut(plugins);
        var run = sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "flight", "type": "action", "plugin": "booking", "action": "reserve_flight",
                "rollbackAction": { "plugin": "booking", "action": "cancel", "params": { "reservation": "{{flight.data.reservation}}" } } },
              { "id": "hotel", "type": "action", "plugin": "booking", "action": "reserve_hotel",
                "rollbackAction": { "plugin": "booking", "action": "cancel", "params": { "reservation": "{{hotel.data.reservation}}" } } },
              { "id": "note", "type": "action", "plugin": "booking", "action": "log" },
              { "id": "charge", "type": "action", "plugin": "payments", "action": "charge", "dependencies": ["flight", "hotel", "note"] } ]
            """), RuntimeTestKit.Request(executionId: "run-1")).AsTask();

        await yDone.Task.Within();
        releaseX.SetResult();
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        var rollbacks = plugins.CallsTo("booking.cancel").ToList();
        Assert.Equal(["flight", "hotel"], rollbacks.Select(r => r.StepId));
        Assert.Equal(["F-1", "H-7"], rollbacks.Select(r => r.Parameters.GetProperty("reservation").GetString()));
        Assert.All(rollbacks, r => Assert.StartsWith("run-1:", r.IdempotencyKey, StringComparison.Ordinal));
        Assert.Equal("booking.cancel", $"{plugins.Calls.Last().Plugin}.{plugins.Calls.Last().Action}");
    }

    [Fact]
    public async Task ExecuteAsync_ChainFailsLater_CompensatesNewestFirst()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.ok", r => PluginResult.Ok(Json.Parse($$"""{ "id": "{{r.StepId}}" }""")))
            .On("p.undo", "{}")
            .On("p.bad", _ => PluginResult.Fail("no", "NO"));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "one", "type": "action", "plugin": "p", "action": "ok", "rollbackAction": { "plugin": "p", "action": "undo", "params": { "id": "{{one.data.id}}" } } },
              { "id": "two", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["one"], "rollbackAction": { "plugin": "p", "action": "undo", "params": { "id": "{{two.data.id}}" } } },
              { "id": "three", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["two"], "rollbackAction": { "plugin": "p", "action": "undo", "params": { "id": "{{three.data.id}}" } } },
              { "id": "four", "type": "action", "plugin": "p", "action": "bad", "dependencies": ["three"], "rollbackAction": { "plugin": "p", "action": "undo" } } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(["three", "two", "one"], plugins.CallsTo("p.undo").Select(r => r.Parameters.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ExecuteAsync_RunSucceeds_RunsNoRollback()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}").On("p.undo", "{}");
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "one", "type": "action", "plugin": "p", "action": "ok", "rollbackAction": { "plugin": "p", "action": "undo" } } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Empty(plugins.CallsTo("p.undo"));
    }

    [Fact]
    public async Task ExecuteAsync_RollbackFails_ReportsAWarningAndStillCompensatesTheRest()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.ok", "{}")
            .On("p.undo", r => r.StepId == "two" ? PluginResult.Fail("undo failed", "UNDO") : RuntimeTestKit.Ok())
            .On("p.bad", _ => PluginResult.Fail("no", "NO"));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "one", "type": "action", "plugin": "p", "action": "ok", "rollbackAction": { "plugin": "p", "action": "undo" } },
              { "id": "two", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["one"], "rollbackAction": { "plugin": "p", "action": "undo" } },
              { "id": "three", "type": "action", "plugin": "p", "action": "bad", "dependencies": ["two"] } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(["two", "one"], plugins.CallsTo("p.undo").Select(r => r.StepId));
        Assert.Contains(result.Warnings, w => w.Contains("'two'", StringComparison.Ordinal) && w.Contains("undo failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_StepAfterASucceededGroupFails_CompensatesTheGroupsChildrenToo()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.ok", r => PluginResult.Ok(Json.Parse($$"""{ "id": "{{r.StepId}}" }""")))
            .On("p.undo", "{}")
            .On("p.bad", _ => PluginResult.Fail("no", "NO"));
        var result = await RuntimeTestKit.CreateSut(plugins, options: new WorkflowOrchestratorOptions { MaxParallelism = 1 }).ExecuteAsync(Workflows.Load("""
            [ { "id": "group", "type": "parallel_group", "steps": [
                { "id": "g1", "type": "action", "plugin": "p", "action": "ok", "rollbackAction": { "plugin": "p", "action": "undo", "params": { "id": "{{g1.data.id}}" } } },
                { "id": "g2", "type": "action", "plugin": "p", "action": "ok", "rollbackAction": { "plugin": "p", "action": "undo", "params": { "id": "{{g2.data.id}}" } } } ] },
              { "id": "last", "type": "action", "plugin": "p", "action": "bad", "dependencies": ["group"] } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(["g2", "g1"], plugins.CallsTo("p.undo").Select(r => r.Parameters.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ExecuteAsync_ChildOfAGroupFails_CompensatesItsCompletedSiblingsOnce()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.ok", r => PluginResult.Ok(Json.Parse($$"""{ "id": "{{r.StepId}}" }""")))
            .On("p.undo", "{}")
            .On("p.bad", _ => PluginResult.Fail("no", "NO"));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "first", "type": "action", "plugin": "p", "action": "ok", "rollbackAction": { "plugin": "p", "action": "undo", "params": { "id": "{{first.data.id}}" } } },
              { "id": "group", "type": "parallel_group", "dependencies": ["first"], "steps": [
                { "id": "g1", "type": "action", "plugin": "p", "action": "ok", "rollbackAction": { "plugin": "p", "action": "undo", "params": { "id": "{{g1.data.id}}" } } },
                { "id": "g2", "type": "action", "plugin": "p", "action": "bad", "dependencies": ["g1"] } ] } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(["g1", "first"], plugins.CallsTo("p.undo").Select(r => r.Parameters.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ExecuteAsync_StepAfterALoopFails_CompensatesEveryIterationWithItsOwnItem()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.ok", r => PluginResult.Ok(r.Parameters))
            .On("p.undo", "{}")
            .On("p.bad", _ => PluginResult.Fail("no", "NO"));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "each", "type": "loop", "iterateOver": "{{input.items}}", "loopSteps": [
                { "id": "book", "type": "action", "plugin": "p", "action": "ok", "params": { "item": "{{current}}" },
                  "rollbackAction": { "plugin": "p", "action": "undo", "params": { "item": "{{book.data.item}}" } } } ] },
              { "id": "last", "type": "action", "plugin": "p", "action": "bad", "dependencies": ["each"] } ]
            """), RuntimeTestKit.Request("""{ "items": ["a", "b", "c"] }"""));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(["c", "b", "a"], plugins.CallsTo("p.undo").Select(r => r.Parameters.GetProperty("item").GetString()));
    }

    [Fact]
    public async Task ExecuteAsync_StepServedFromCache_IsNotCompensatedBecauseThisRunDidNothing()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.reserve", """{ "id": "R-1" }""")
            .On("p.undo", "{}")
            .OnSequence("p.finish", RuntimeTestKit.Ok(), PluginResult.Fail("no", "NO"));
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load("""
            [ { "id": "reserve", "type": "action", "plugin": "p", "action": "reserve", "cache": { "enabled": true, "ttl": 600 },
                "rollbackAction": { "plugin": "p", "action": "undo", "params": { "id": "{{reserve.data.id}}" } } },
              { "id": "finish", "type": "action", "plugin": "p", "action": "finish", "dependencies": ["reserve"] } ]
            """);

        var first = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request());
        var second = await sut.ExecuteAsync(workflow, RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        Assert.Equal(ExecutionStatus.Failed, second.Status);
        Assert.True(second.Steps["reserve"].CacheHit);
        Assert.Empty(plugins.CallsTo("p.undo"));
    }

    [Fact]
    public async Task ExecuteAsync_StepAfterASucceededSubWorkflowFails_CompensatesTheSubWorkflowsSteps()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.ok", """{ "id": "S-1" }""")
            .On("p.undo", "{}")
            .On("p.bad", _ => PluginResult.Fail("no", "NO"));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "child", "type": "sub_workflow", "workflowSteps": [
                { "id": "inner", "type": "action", "plugin": "p", "action": "ok",
                  "rollbackAction": { "plugin": "p", "action": "undo", "params": { "id": "{{inner.data.id}}" } } } ] },
              { "id": "last", "type": "action", "plugin": "p", "action": "bad", "dependencies": ["child"] } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(["S-1"], plugins.CallsTo("p.undo").Select(r => r.Parameters.GetProperty("id").GetString()));
    }
}
