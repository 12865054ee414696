using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Tests.Usage;

public class CreditTests
{
    private readonly ScriptedLlmClient _llm = new();

    private static WorkflowExecutionRequest Request() => new() { UserId = "u1", Inputs = Json.Parse("{}") };

    private static Orchestrator.Core.Model.WorkflowDefinition OneLlmStep() =>
        Workflows.Load("""[ { "id": "a", "type": "ai_processing", "prompt": "think" } ]""");

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 0, 1)]
    [InlineData(0, 1, 1)]
    [InlineData(999, 0, 1)]
    [InlineData(600, 400, 1)]
    [InlineData(1000, 1, 2)]
    [InlineData(1001, 0, 2)]
    [InlineData(2000, 0, 2)]
    [InlineData(2000, 1, 3)]
    [InlineData(-5, 0, 0)]
    [InlineData(long.MaxValue, 0, (long.MaxValue / 1000) + 1)]
    [InlineData(long.MaxValue - 807, 0, long.MaxValue / 1000)]
    public void CalculateCredits_CeilingOfThousands(long input, long output, long expected)
    {
        Assert.Equal(expected, TokenCreditCalculator.Instance.CalculateCredits(new ExecutionUsage(input, output, 1)));
    }

    [Fact]
    public void CalculateCredits_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => TokenCreditCalculator.Instance.CalculateCredits(null!));
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 0, 1)]
    [InlineData(600, 400, 1)]
    [InlineData(600, 401, 2)]
    public async Task ExecuteAsync_DefaultRule_CreditsFromTheRunsTokens(int input, int output, long credits)
    {
        _llm.When("think", "ok", inputTokens: input, outputTokens: output);

        var result = await new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(), _llm).Build().ExecuteAsync(OneLlmStep(), Request());

        Assert.Equal(credits, result.Usage.Credits);
        Assert.Equal(input + output, result.Usage.TotalTokens);
    }

    [Fact]
    public async Task ExecuteAsync_NoLlmStep_ZeroCredits()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var result = await new WorkflowOrchestratorBuilder(plugins, _llm).Build().ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "ok" } ]"""), Request());

        Assert.Equal(new ExecutionUsage(0, 0, 0), result.Usage);
    }

    [Fact]
    public async Task ExecuteAsync_CustomCalculatorInConstructor_UsedWithTheRunsUsage()
    {
        _llm.When("think", "ok", inputTokens: 3000, outputTokens: 0);
        var calculator = new PerCallCalculator();

        var result = await new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(), _llm).AddCreditCalculator(calculator).Build().ExecuteAsync(OneLlmStep(), Request());

        Assert.Equal(7, result.Usage.Credits);
        var seen = Assert.Single(calculator.Seen);
        Assert.Equal(3000, seen.InputTokens);
        Assert.Equal(1, seen.LlmCalls);
        Assert.Equal(0, seen.Credits);
    }

    [Fact]
    public async Task AddCreditCalculator_CustomRuleInContainer_ReplacesTheDefault()
    {
        var services = new ServiceCollection();
        var llm = _llm.When("think", "ok", inputTokens: 3000, outputTokens: 0).When(string.Empty, "{}");
        services.AddWorkflowOrchestrator(o => o.Memory.Enabled = false).AddLlmClient(_ => llm).AddCreditCalculator<PerCallCalculator>();
        using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(OneLlmStep(), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(7, result.Usage.Credits);
        Assert.IsType<PerCallCalculator>(provider.GetRequiredService<ICreditCalculator>());
    }

    [Fact]
    public async Task ExecuteAsync_CalculatorThrows_DefaultCreditsAndAWarningStatusUnchanged()
    {
        _llm.When("think", "ok", inputTokens: 1500, outputTokens: 0);

        var result = await new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(), _llm).AddCreditCalculator(new ThrowingCalculator()).Build().ExecuteAsync(OneLlmStep(), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, result.Usage.Credits);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("billing is down", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_CalculatorReturnsNegative_ZeroCredits()
    {
        _llm.When("think", "ok", inputTokens: 1500, outputTokens: 0);

        var result = await new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(), _llm).AddCreditCalculator(new NegativeCalculator()).Build().ExecuteAsync(OneLlmStep(), Request());

        Assert.Equal(0, result.Usage.Credits);
    }

    private sealed class PerCallCalculator : ICreditCalculator
    {
        public List<ExecutionUsage> Seen { get; } = [];

        public long CalculateCredits(ExecutionUsage usage)
        {
            Seen.Add(usage);
            return usage.LlmCalls * 7;
        }
    }

    private sealed class ThrowingCalculator : ICreditCalculator
    {
        public long CalculateCredits(ExecutionUsage usage) => throw new InvalidOperationException("billing is down");
    }

    private sealed class NegativeCalculator : ICreditCalculator
    {
        public long CalculateCredits(ExecutionUsage usage) => -4;
    }
}
