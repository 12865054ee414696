using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class DelayHandlerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor().On("t.after", """{ "ok": true }""");

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).UseTimeProvider(_time).Build();

    [Fact]
    public async Task ExecuteAsync_Duration_RunWaitsUntilTheClockIsAdvanced()
    {
        var run = CreateSut().RunAsync(
            """
            [ { "id": "wait", "type": "delay", "duration": 5000 },
              { "id": "after", "type": "action", "plugin": "t", "action": "after", "dependencies": ["wait"] } ]
            """).AsTask();

        Assert.False(run.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.False(run.IsCompleted);
        Assert.Empty(_plugins.Calls);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await run.WaitAsync(HandlerRuns.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(5000, result.Steps["wait"].Data.GetProperty("delayedMs").GetDouble());
        Assert.Single(_plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_ZeroDuration_CompletesWithoutTheClock()
    {
        var result = await CreateSut().RunAsync("""[ { "id": "wait", "type": "delay", "duration": 0 } ]""").AsTask().WaitAsync(HandlerRuns.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task Regression_DelayDurationComesFromItsOwnFieldNeverParams()
    {
        var run = CreateSut().RunAsync("""[ { "id": "wait", "type": "delay", "duration": 2000, "params": { "duration": 1 } } ]""").AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(run.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        var result = await run.WaitAsync(HandlerRuns.Guard);

        Assert.Equal(2000, result.Steps["wait"].Data.GetProperty("delayedMs").GetDouble());
    }
}
