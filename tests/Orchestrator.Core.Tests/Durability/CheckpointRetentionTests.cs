using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Durability;

/// <summary>Issue 12, bounded memory: nothing called <c>DeleteExpiredAsync</c>, so checkpoints of finished runs piled up.</summary>
public class CheckpointRetentionTests
{
    private const string OneStep = """[ { "id": "a", "type": "action", "plugin": "p", "action": "ok" } ]""";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCheckpointStore _store = new();
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor().On("p.ok", "{}");

    private WorkflowOrchestrator CreateSut(TimeSpan? retention) =>
        new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).UseOptions(new WorkflowOrchestratorOptions { CheckpointRetention = retention }).UseTimeProvider(_time).AddCheckpointStore(_store).Build();

    private static WorkflowExecutionRequest Request(string id) => new() { UserId = "u1", ExecutionId = id };

    [Fact]
    public async Task ExecuteAsync_RunFinishesAfterTheRetention_TheOrchestratorRemovesFinishedRunsOlderThanIt()
    {
        var sut = CreateSut(TimeSpan.FromDays(30));
        await sut.ExecuteAsync(Workflows.Load(OneStep), Request("old"));
        _time.Advance(TimeSpan.FromDays(31));

        await sut.ExecuteAsync(Workflows.Load(OneStep), Request("new"));

        Assert.Null(await _store.LoadAsync("old"));
        Assert.NotNull(await _store.LoadAsync("new"));
    }

    [Fact]
    public async Task ExecuteAsync_SuspendedRunOlderThanTheRetention_IsKept()
    {
        var sut = CreateSut(TimeSpan.FromDays(1));
        await sut.ExecuteAsync(Workflows.Load("""[ { "id": "ok", "type": "human_approval", "approvers": ["ann"], "title": "Go?" } ]"""), Request("waiting"));
        _time.Advance(TimeSpan.FromDays(2));

        await sut.ExecuteAsync(Workflows.Load(OneStep), Request("new"));

        Assert.NotNull(await _store.LoadAsync("waiting"));
    }

    [Fact]
    public async Task ExecuteAsync_RetentionNull_KeepsFinishedRunsForEver()
    {
        var sut = CreateSut(null);
        await sut.ExecuteAsync(Workflows.Load(OneStep), Request("old"));
        _time.Advance(TimeSpan.FromDays(3650));

        await sut.ExecuteAsync(Workflows.Load(OneStep), Request("new"));

        Assert.NotNull(await _store.LoadAsync("old"));
    }
}
