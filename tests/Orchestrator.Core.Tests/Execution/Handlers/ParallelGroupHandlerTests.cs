using System.Collections.Concurrent;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class ParallelGroupHandlerTests
{
    private readonly ScriptedPluginExecutor _plugins = new();

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).Build();

    private static string Group(string extra) =>
        $$$"""
        [ { "id": "group", "type": "parallel_group" {{{extra}}}, "steps": [
              { "id": "a", "type": "action", "plugin": "t", "action": "a" },
              { "id": "b", "type": "action", "plugin": "t", "action": "b" },
              { "id": "c", "type": "action", "plugin": "t", "action": "c" } ] },
          { "id": "after", "type": "action", "plugin": "t", "action": "after", "params": { "b": "{{group.data.b.v}}" } } ]
        """;

    [Fact]
    public async Task ParallelGroup_Children_DataKeyedByChildId()
    {
        _plugins.On("t.a", """{ "v": 1 }""").On("t.b", """{ "v": 2 }""").On("t.c", """{ "v": 3 }""").On("t.after", "{}");
        var result = await CreateSut().RunAsync(Group(""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("""{"a":{"v":1},"b":{"v":2},"c":{"v":3}}""", result.Steps["group"].Data.Text());
        Assert.Equal(2, _plugins.CallsTo("t.after").Single().Parameters.GetProperty("b").GetInt32());
    }

    [Fact]
    public async Task ParallelGroup_NoConcurrencyLimit_StartsEveryChildAtOnce()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var started = new SemaphoreSlim(0);
        foreach (var action in new[] { "t.a", "t.b", "t.c" })
        {
            _plugins.On(action, async (_, _) =>
            {
                started.Release();
                await gate.Task;
                return PluginResult.Ok(Json.Parse("{}"));
            });
        }

        _plugins.On("t.after", "{}");
        var run = CreateSut().RunAsync(Group("")).AsTask();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        }

        gate.SetResult();
        Assert.Equal(ExecutionStatus.Succeeded, (await run.WaitAsync(HandlerRuns.Guard)).Status);
    }

    [Fact]
    public async Task ParallelGroup_MaxConcurrencyOne_RunsChildrenOneAtATime()
    {
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        using var started = new SemaphoreSlim(0);
        foreach (var action in new[] { "a", "b", "c" })
        {
            _plugins.On("t." + action, async (request, _) =>
            {
                started.Release();
                await gates.GetOrAdd(request.Action, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                return PluginResult.Ok(Json.Parse("{}"));
            });
        }

        _plugins.On("t.after", "{}");
        var run = CreateSut().RunAsync(Group(""", "maxConcurrency": 1""")).AsTask();
        for (var released = 0; released < 3; released++)
        {
            Assert.True(await started.WaitAsync(HandlerRuns.Guard));
            Assert.False(await started.WaitAsync(TimeSpan.Zero));
            Assert.Equal(released + 1, _plugins.Calls.Count);
            gates.GetOrAdd(_plugins.Calls.Last().Action, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        }

        Assert.Equal(ExecutionStatus.Succeeded, (await run.WaitAsync(HandlerRuns.Guard)).Status);
    }

    [Fact]
    public async Task ParallelGroup_AFailingChild_FailsTheGroup()
    {
        _plugins.On("t.a", "{}").On("t.b", _ => PluginResult.Fail("b broke", "B_FAILED")).On("t.c", "{}");
        var result = await CreateSut().RunAsync(Group(""));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("B_FAILED", result.Steps["group"].ErrorCode);
        Assert.Contains("'b'", result.Steps["group"].Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Cancelled, result.Steps["after"].Status);
    }
}
