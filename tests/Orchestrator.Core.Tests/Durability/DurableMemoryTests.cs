using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.Execution.Runtime;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Core.Tests.Durability;

/// <summary>The memory context is part of a run's checkpoint: a run resumed elsewhere prompts with the memory it started with.</summary>
public class DurableMemoryTests
{
    private const string Workflow = """
        [ { "id": "fetch", "type": "action", "plugin": "p", "action": "fetch" },
          { "id": "think", "type": "ai_processing", "prompt": "Think about {{fetch.data.v}}" } ]
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCheckpointStore _checkpoints = new();

    private static WorkflowExecutionRequest Request() => new() { UserId = "u1", AgentId = "agent-1", ExecutionId = "run-1", Inputs = Json.Parse("{}") };

    private WorkflowOrchestrator CreateSut(ScriptedPluginExecutor plugins, ScriptedLlmClient llm, IMemoryStore memory, ICheckpointStore checkpoints)
    {
        var options = new WorkflowOrchestratorOptions();
        options.Memory.SummarizeRuns = false;
        return new WorkflowOrchestratorBuilder(plugins, llm).UseOptions(options).UseTimeProvider(_time).AddMemoryStore(memory).AddCheckpointStore(checkpoints).Build();
    }

    [Fact]
    public async Task ResumeAsync_InAnotherProcess_LlmStepsGetTheMemoryTheRunStartedWith()
    {
        var remembered = new InMemoryMemoryStore();
        await remembered.SaveRunAsync(new RunMemory { UserId = "u1", AgentId = "agent-1", ExecutionId = "old", RunNumber = 0, Status = "succeeded", Summary = "LAST-WEEK-SUMMARY", CreatedAt = _time.GetUtcNow() });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstPlugins = new ScriptedPluginExecutor().On("p.fetch", RuntimeTestKit.Gated(gate.Task, RuntimeTestKit.Ok("""{ "v": 1 }""")));
        var crashing = new CrashableCheckpointStore(_checkpoints);
        var first = CreateSut(firstPlugins, new ScriptedLlmClient(), remembered, crashing).ExecuteAsync(Workflows.Load(Workflow), Request()).AsTask();
        await CheckpointStoreBehaviourTests.WaitForAsync(async () => (await _checkpoints.LoadAsync("run-1"))?.Steps.Count >= 1);
        crashing.Crash();
        gate.SetResult();
        await first.Within();

        // The new process has an empty memory store: what the step is told can only come from the checkpoint.
        var llm = new ScriptedLlmClient().When("Think about 1", "thought");
        var result = await CreateSut(new ScriptedPluginExecutor().On("p.fetch", """{ "v": 1 }"""), llm, new InMemoryMemoryStore(), _checkpoints).ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Contains("LAST-WEEK-SUMMARY", Assert.Single(llm.Requests).SystemPrompt, StringComparison.Ordinal);
        Assert.Equal(1, result.Usage.MemoryEntries);
        Assert.True(result.Usage.MemoryTokens > 0);
    }
}
