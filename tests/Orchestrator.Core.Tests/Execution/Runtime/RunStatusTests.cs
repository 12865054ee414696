using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class RunStatusTests
{
    [Fact]
    public async Task ExecuteAsync_EveryStepSucceeds_ReportsSucceeded()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "ok" },
              { "id": "b", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["a"] } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Null(result.Error);
        Assert.All(result.Steps.Values, s => Assert.Equal(StepStatus.Succeeded, s.Status));
    }

    [Fact]
    public async Task ExecuteAsync_ContinueOnErrorStepFails_ReportsPartiallySucceededAndDependentsSeeFailure()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.bad", _ => PluginResult.Fail("nope", "BAD"))
            .On("p.echo", r => PluginResult.Ok(r.Parameters));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "bad", "continueOnError": true },
              { "id": "b", "type": "action", "plugin": "p", "action": "echo", "params": { "ok": "{{a.metadata.success}}", "error": "{{a.metadata.error}}" } } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["a"].Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["b"].Status);
        Assert.False(result.Steps["b"].Data.GetProperty("ok").GetBoolean());
        Assert.Equal("nope", result.Steps["b"].Data.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_FailingStepWithFallback_FallbackBecomesDataAndDependentsReadIt()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.bad", _ => PluginResult.Fail("down", "UNAVAILABLE"))
            .On("p.echo", r => PluginResult.Ok(r.Parameters));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "bad", "fallback": { "items": ["cached"] } },
              { "id": "b", "type": "action", "plugin": "p", "action": "echo", "params": { "items": "{{a.data.items}}", "ok": "{{a.metadata.success}}" } } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
        var a = result.Steps["a"];
        Assert.Equal(StepStatus.Failed, a.Status);
        Assert.True(a.UsedFallback);
        Assert.Equal("UNAVAILABLE", a.ErrorCode);
        Assert.Equal("""{"items":["cached"]}""", a.Data.GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("cached", result.Steps["b"].Data.GetProperty("items")[0].GetString());
        Assert.False(result.Steps["b"].Data.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task ExecuteAsync_StepFailsWithoutContinueOrFallback_FailsRunCancelsPendingAndRunningSteps()
    {
        var releaseA = new TaskCompletionSource();
        var slowEntered = new Counter();
        var slowSawCancellation = false;
        var plugins = new ScriptedPluginExecutor()
            .On("p.bad", RuntimeTestKit.Gated(releaseA.Task, PluginResult.Fail("quota exceeded", "QUOTA")))
            .On("p.slow", async (_, ct) =>
            {
                slowEntered.Increment();
                try
                {
                    await new TaskCompletionSource().Task.WaitAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    slowSawCancellation = true;
                    throw;
                }

                return RuntimeTestKit.Ok();
            })
            .On("p.ok", "{}");
        var sut = RuntimeTestKit.CreateSut(plugins);
        var run = sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "bad" },
              { "id": "slow", "type": "action", "plugin": "p", "action": "slow" },
              { "id": "after", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["a"] } ]
            """), RuntimeTestKit.Request()).AsTask();

        await slowEntered.WaitForAsync(1);
        releaseA.SetResult();
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("QUOTA", result.ErrorCode);
        Assert.Contains("'a'", result.Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Failed, result.Steps["a"].Status);
        Assert.True(slowSawCancellation);
        Assert.Equal(StepStatus.Cancelled, result.Steps["slow"].Status);
        Assert.False(string.IsNullOrEmpty(result.Steps["slow"].SkipReason));
        Assert.Equal(StepStatus.Cancelled, result.Steps["after"].Status);
        Assert.Contains("'a' failed", result.Steps["after"].SkipReason, StringComparison.Ordinal);
        Assert.Empty(plugins.CallsTo("p.ok"));
    }

    [Fact]
    public async Task ExecuteAsync_EveryParallelStepFails_NeverReportsSucceeded_RegressionParallelFailuresIgnored()
    {
        var gate = new TaskCompletionSource();
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor()
            .On("p.bad", RuntimeTestKit.Gated(gate.Task, PluginResult.Fail("broken", "BROKEN"), entered));
        var sut = RuntimeTestKit.CreateSut(plugins);
        var run = sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "x", "type": "action", "plugin": "p", "action": "bad" },
              { "id": "y", "type": "action", "plugin": "p", "action": "bad" },
              { "id": "z", "type": "action", "plugin": "p", "action": "bad" } ]
            """), RuntimeTestKit.Request()).AsTask();

        await entered.WaitForAsync(3);
        gate.SetResult();
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("BROKEN", result.ErrorCode);
        Assert.DoesNotContain(result.Steps.Values, s => s.Status == StepStatus.Succeeded);
    }

    [Fact]
    public async Task ExecuteAsync_EveryStepFailsUnderContinueOnError_NeverReportsSucceeded_RegressionParallelFailuresIgnored()
    {
        var plugins = new ScriptedPluginExecutor().On("p.bad", _ => PluginResult.Fail("broken", "BROKEN"));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "x", "type": "action", "plugin": "p", "action": "bad", "continueOnError": true },
              { "id": "y", "type": "action", "plugin": "p", "action": "bad", "continueOnError": true } ]
            """), RuntimeTestKit.Request());

        Assert.NotEqual(ExecutionStatus.Succeeded, result.Status);
        Assert.All(result.Steps.Values, s => Assert.Equal(StepStatus.Failed, s.Status));
    }

    [Fact]
    public async Task ExecuteAsync_FailingStepInParallelGroup_FailsTheRun_RegressionParallelFailuresIgnored()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}").On("p.bad", _ => PluginResult.Fail("broken", "BROKEN"));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "group", "type": "parallel_group", "steps": [
                { "id": "g1", "type": "action", "plugin": "p", "action": "ok" },
                { "id": "g2", "type": "action", "plugin": "p", "action": "bad" } ] },
              { "id": "after", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["group"] } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["group"].Status);
        Assert.Equal(StepStatus.Cancelled, result.Steps["after"].Status);
    }

    [Fact]
    public async Task ExecuteAsync_StepFails_ReportsFailingStepIdAndPluginErrorCodeUnswapped_RegressionSwappedErrorCode()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.ok", "{}")
            .On("crm.fetch", _ => PluginResult.Fail("rate limited by CRM", "RATE_LIMITED"));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "prepare", "type": "action", "plugin": "p", "action": "ok" },
              { "id": "fetch_customer", "type": "action", "plugin": "crm", "action": "fetch", "dependencies": ["prepare"] } ]
            """), RuntimeTestKit.Request());

        var failed = result.Steps["fetch_customer"];
        Assert.Equal("fetch_customer", failed.StepId);
        Assert.Equal("RATE_LIMITED", failed.ErrorCode);
        Assert.Equal("rate limited by CRM", failed.Error);
        Assert.Equal("RATE_LIMITED", result.ErrorCode);
        Assert.Contains("fetch_customer", result.Error, StringComparison.Ordinal);
        Assert.Null(result.Steps["prepare"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_NestedStepFallsBack_ReportsPartiallySucceededNotSucceeded()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}").On("p.bad", _ => PluginResult.Fail("no", "NO"));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "group", "type": "parallel_group", "steps": [
                { "id": "g1", "type": "action", "plugin": "p", "action": "ok" },
                { "id": "g2", "type": "action", "plugin": "p", "action": "bad", "fallback": { "empty": true } } ] } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["group"].Status);
        Assert.True(result.Steps["group"].Data.GetProperty("g2").GetProperty("empty").GetBoolean());
    }

    [Fact]
    public async Task ExecuteAsync_SkippedStepsOnly_ReportSucceeded()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "ok", "executeIf": "false" },
              { "id": "b", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["a"] } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["a"].Status);
        Assert.Equal(0, result.Steps["a"].Attempts);
        Assert.Equal(1, result.Steps["b"].Attempts);
    }
}
