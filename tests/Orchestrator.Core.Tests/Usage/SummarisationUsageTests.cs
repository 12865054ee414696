using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Tests.Usage;

/// <summary>The memory summariser's LLM call is usage of the run like any step's, and its failures are only warnings.</summary>
public class SummarisationUsageTests
{
    private const string Summary = """{ "summary": "It went well.", "sentiment": "positive", "key_outcomes": ["done"], "patterns_detected": [], "suggestions": [] }""";
    private readonly ScriptedLlmClient _llm = new ScriptedLlmClient()
        .When("Summarise the day", "ok", inputTokens: 100, outputTokens: 20, model: "m")
        .When(string.Empty, Summary, inputTokens: 50, outputTokens: 10, model: "m");

    private readonly InMemoryExecutionMetricsSink _metrics = new();
    private readonly InMemoryAuditSink _audit = new();

    private WorkflowOrchestrator CreateSut(IMemoryStore store)
    {
        var options = new WorkflowOrchestratorOptions();
        options.Pricing["m"] = new ModelPrice(1_000_000m, 0m);
        return new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(), _llm).UseOptions(options).AddMemoryStore(store).AddAuditSink(_audit).AddMetricsSink(_metrics).Build();
    }

    private static WorkflowExecutionRequest Request() => new() { UserId = "u1", AgentId = "agent-1", Inputs = Json.Parse("{}"), ExecutionId = "run-1" };

    private static Orchestrator.Core.Model.WorkflowDefinition OneLlmStep() =>
        Workflows.Load("""{ "id": "wf", "workflow_steps": [ { "id": "think", "type": "ai_processing", "prompt": "Summarise the day" } ] }""");

    [Fact]
    public async Task ExecuteAsync_WithMemory_SummaryCallCountedInUsageCostAndMetrics()
    {
        var store = new InMemoryMemoryStore();

        var result = await CreateSut(store).ExecuteAsync(OneLlmStep(), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, _llm.Requests.Count);
        Assert.Equal(150, result.Usage.InputTokens);
        Assert.Equal(30, result.Usage.OutputTokens);
        Assert.Equal(2, result.Usage.LlmCalls);
        Assert.Equal(150m, result.Usage.Cost);
        Assert.Equal(1, result.Usage.Credits);
        Assert.Equal(100m, result.Steps["think"].Cost); // The step's own call only.
        var m = Assert.Single(_metrics.Metrics);
        Assert.Equal(180, m.TotalTokens);
        Assert.Equal(2, m.LlmCalls);
        Assert.Equal(150m, m.Cost);
        Assert.Equal(1, await store.CountRunsAsync("u1", "agent-1"));
        Assert.Equal(
            ["ORCHESTRATOR_EXECUTION_STARTED", "ORCHESTRATOR_MEMORY_INJECTED", "ORCHESTRATOR_STEP_EXECUTED", "ORCHESTRATOR_MEMORY_SAVED", "ORCHESTRATOR_EXECUTION_COMPLETED"],
            _audit.Events.Select(e => e.Kind.Name));
        var completed = _audit.Events[^1].Details;
        Assert.Equal(150, completed.GetProperty("input_tokens").GetInt64());
        Assert.Equal(150m, completed.GetProperty("cost").GetDecimal());
    }

    [Fact]
    public async Task ExecuteAsync_MemoryStoreRefusesTheSave_WarningAndMemoryFailedEventStatusUnchanged()
    {
        var result = await CreateSut(new RefusingStore()).ExecuteAsync(OneLlmStep(), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("disk full", warning, StringComparison.Ordinal);
        var failed = Assert.Single(_audit.Events, e => e.Kind == AuditEventKind.MemoryFailed);
        Assert.Same(AuditSeverity.Warning, failed.Severity);
        Assert.Same(AuditEventKind.ExecutionCompleted, _audit.Events[^1].Kind);
        Assert.Single(_metrics.Metrics);
    }

    /// <summary>A store that reads like an empty one and refuses every save.</summary>
    private sealed class RefusingStore : IMemoryStore
    {
        public ValueTask<IReadOnlyList<RunMemory>> GetRecentRunsAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<RunMemory>>([]);

        public ValueTask<IReadOnlyList<UserMemory>> GetUserMemoriesAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<UserMemory>>([]);

        public ValueTask<int> SaveRunAsync(RunMemory memory, CancellationToken cancellationToken = default) =>
            throw new IOException("disk full");

        public ValueTask SaveUserMemoryAsync(UserMemory memory, CancellationToken cancellationToken = default) =>
            throw new IOException("disk full");

        public ValueTask<int> CountRunsAsync(string userId, string agentId, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);
    }
}
