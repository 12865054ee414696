using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Usage;

/// <summary>Issue 12, trust: token counts are the LLM client's data (a total of -8,589,934,612 was seen).</summary>
public class TokenValidationTests
{
    private static Task<WorkflowExecutionResult> RunAsync(int inputTokens, int outputTokens, int calls)
    {
        var llm = new ScriptedLlmClient().When("Go", _ => new LlmResponse { Text = "fine", InputTokens = inputTokens, OutputTokens = outputTokens, Model = "m" });
        var steps = string.Join(", ", Enumerable.Range(0, calls).Select(i => $$"""{ "id": "ask{{i}}", "type": "ai_processing", "prompt": "Go {{i}}" }"""));
        var sut = new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(), llm).UseOptions(new WorkflowOrchestratorOptions { Memory = { Enabled = false } }).UseTimeProvider(new Microsoft.Extensions.Time.Testing.FakeTimeProvider()).Build();
        return sut.ExecuteAsync(Workflows.Load("[" + steps + "]"), new WorkflowExecutionRequest { UserId = "u1" }).AsTask();
    }

    [Fact]
    public async Task ExecuteAsync_LlmReportsNegativeTokenCounts_CountsZeroAndWarnsOnce()
    {
        var result = await RunAsync(int.MinValue, -5, calls: 4);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(0, result.Usage.InputTokens);
        Assert.Equal(0, result.Usage.OutputTokens);
        Assert.True(result.Usage.TotalTokens >= 0);
        Assert.Single(result.Warnings, w => w.Contains("invalid token counts for 'ask0'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_LlmReportsAbsurdTokenCounts_ClampsEachCallAndTheSumStaysPositive()
    {
        var result = await RunAsync(int.MaxValue, int.MaxValue, calls: 3);

        Assert.Equal(3L * 100_000_000, result.Usage.InputTokens);
        Assert.Equal(3L * 100_000_000, result.Usage.OutputTokens);
        Assert.True(result.Usage.TotalTokens > 0);
        Assert.Contains(result.Warnings, w => w.Contains("invalid token counts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_LlmReportsOrdinaryTokenCounts_CountsThemAsTheyAreWithoutWarning()
    {
        var result = await RunAsync(120, 30, calls: 2);

        Assert.Equal(240, result.Usage.InputTokens);
        Assert.Equal(60, result.Usage.OutputTokens);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("token counts", StringComparison.Ordinal));
    }
}
