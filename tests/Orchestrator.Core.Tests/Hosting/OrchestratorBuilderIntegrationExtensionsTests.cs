using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Tests.Hosting;

public class OrchestratorBuilderIntegrationExtensionsTests
{
    private static ServiceProvider CreateSut(Action<IOrchestratorBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddWorkflowOrchestrator().AddPluginExecutor<EchoPluginExecutor>();
        configure?.Invoke(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task AddWorkflowOrchestrator_Alone_InMemorySideSystemsRecordTheRun()
    {
        using var provider = CreateSut();

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request() with { AgentId = "agent-1" });

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Empty(result.Warnings);
        var audit = Assert.IsType<InMemoryAuditSink>(Assert.Single(provider.GetServices<IAuditSink>()));
        Assert.Equal(
            ["ORCHESTRATOR_EXECUTION_STARTED", "ORCHESTRATOR_MEMORY_INJECTED", "ORCHESTRATOR_STEP_EXECUTED", "ORCHESTRATOR_MEMORY_SAVED", "ORCHESTRATOR_EXECUTION_COMPLETED"],
            audit.EventsOf(result.ExecutionId).Select(e => e.Kind.Name));
        var metrics = Assert.IsType<InMemoryExecutionMetricsSink>(provider.GetRequiredService<IExecutionMetricsSink>());
        Assert.Equal(result.ExecutionId, Assert.Single(metrics.Metrics).ExecutionId);

        // No LLM is registered: the run is still remembered, with a plain summary and no warning.
        var memory = Assert.Single(await provider.GetRequiredService<IMemoryStore>().GetRecentRunsAsync("u1", "agent-1", 5));
        Assert.Equal(1, memory.RunNumber);
        Assert.IsType<CharacterTokenEstimator>(provider.GetRequiredService<ITokenEstimator>());
        Assert.IsType<TokenCreditCalculator>(provider.GetRequiredService<ICreditCalculator>());
    }

    [Fact]
    public async Task AddAuditSink_TwoSinks_BothGetEveryEventAndTheDefaultIsGone()
    {
        var first = new InMemoryAuditSink();
        var second = new InMemoryAuditSink();
        using var provider = CreateSut(b => b.AddAuditSink(first).AddAuditSink(_ => second));

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal([first, second], provider.GetServices<IAuditSink>());
        Assert.Equal(first.EventsOf(result.ExecutionId).Select(e => e.Sequence), second.EventsOf(result.ExecutionId).Select(e => e.Sequence));
        Assert.Equal(5, first.EventsOf(result.ExecutionId).Count);
    }

    [Fact]
    public void AddAuditSink_SameTypeTwice_RegisteredOnce()
    {
        using var provider = CreateSut(b => b.AddAuditSink<InMemoryAuditSink>().AddAuditSink<InMemoryAuditSink>());

        Assert.Single(provider.GetServices<IAuditSink>());
    }

    [Fact]
    public async Task AddMemoryStore_Type_ReplacesTheInMemoryStoreAndIsUsed()
    {
        using var provider = CreateSut(b => b.AddMemoryStore<CountingMemoryStore>());

        await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        var store = Assert.IsType<CountingMemoryStore>(provider.GetRequiredService<IMemoryStore>());
        Assert.Equal(1, store.Saved);
    }

    [Fact]
    public async Task AddMetricsSinkAndCreditCalculator_HostRules_UsedForTheRun()
    {
        var sink = new InMemoryExecutionMetricsSink();
        using var provider = CreateSut(b => b.AddMetricsSink(sink).AddCreditCalculator<FlatCredits>());

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal(7, result.Usage.Credits);
        Assert.Equal(7, Assert.Single(sink.Metrics).Credits);
    }

    [Fact]
    public async Task AddTokenEstimator_Type_CountsTheMemoryBudget()
    {
        using var provider = CreateSut(b => b.AddTokenEstimator<OneTokenPerCharacter>());
        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();
        await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        var second = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal(1, second.Usage.MemoryEntries);
        Assert.True(second.Usage.MemoryTokens > 40, $"{second.Usage.MemoryTokens} tokens: one per character of the context");
    }

    private sealed class CountingMemoryStore : IMemoryStore
    {
        private readonly InMemoryMemoryStore _inner = new();

        public int Saved { get; private set; }

        public ValueTask<IReadOnlyList<RunMemory>> GetRecentRunsAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default) => _inner.GetRecentRunsAsync(userId, agentId, limit, cancellationToken);

        public ValueTask<IReadOnlyList<UserMemory>> GetUserMemoriesAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default) => _inner.GetUserMemoriesAsync(userId, agentId, limit, cancellationToken);

        public ValueTask<int> SaveRunAsync(RunMemory memory, CancellationToken cancellationToken = default)
        {
            Saved++;
            return _inner.SaveRunAsync(memory, cancellationToken);
        }

        public ValueTask SaveUserMemoryAsync(UserMemory memory, CancellationToken cancellationToken = default) => _inner.SaveUserMemoryAsync(memory, cancellationToken);

        public ValueTask<int> CountRunsAsync(string userId, string agentId, CancellationToken cancellationToken = default) => _inner.CountRunsAsync(userId, agentId, cancellationToken);
    }

    private sealed class FlatCredits : ICreditCalculator
    {
        public long CalculateCredits(ExecutionUsage usage) => 7;
    }

    private sealed class OneTokenPerCharacter : ITokenEstimator
    {
        public int CountTokens(string text) => text.Length;
    }
}
