using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Tests.Usage;

public class PricingTests
{
    private static readonly ModelPrice Gpt4o = new(2.5m, 10m);
    private static readonly ModelPrice Mini = new(0.15m, 0.6m);
    private static readonly ModelPrice Fallback = new(1m, 1m);
    private readonly ScriptedLlmClient _llm = new();

    private WorkflowOrchestrator CreateSut(Action<WorkflowOrchestratorOptions>? configure = null)
    {
        var options = new WorkflowOrchestratorOptions();
        configure?.Invoke(options);
        return new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(), _llm).UseOptions(options).Build();
    }

    private static WorkflowExecutionRequest Request() => new() { UserId = "u1", Inputs = Json.Parse("{}") };

    private static PriceTable Table(ModelPrice? defaultPrice = null) =>
        new(new Dictionary<string, ModelPrice> { ["gpt-4o"] = Gpt4o, ["gpt-4o-mini"] = Mini, ["gpt"] = Fallback with { InputPerMillionTokens = 7m } }, defaultPrice);

    [Theory]
    [InlineData("gpt-4o", "gpt-4o")]
    [InlineData("GPT-4O", "gpt-4o")]
    [InlineData("gpt-4o-mini", "gpt-4o-mini")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("GPT-4O-2024-08-06", "gpt-4o")]
    [InlineData("gpt-3.5-turbo", "gpt")]
    public void Find_ExactThenLongestPrefix_CaseInsensitive(string model, string expectedKey)
    {
        var expected = expectedKey switch
        {
            "gpt-4o" => Gpt4o,
            "gpt-4o-mini" => Mini,
            _ => Fallback with { InputPerMillionTokens = 7m },
        };

        Assert.Equal(expected, Table().Find(model));
    }

    [Theory]
    [InlineData("claude-3")]
    [InlineData("4o")]
    [InlineData(null)]
    public void Find_NoMatch_DefaultPriceOrNull(string? model)
    {
        Assert.Null(Table().Find(model));
        Assert.Equal(Fallback, Table(Fallback).Find(model));
    }

    [Fact]
    public void IsEmpty_NoPricesNoDefault_True()
    {
        Assert.True(new PriceTable(new Dictionary<string, ModelPrice>(), null).IsEmpty);
        Assert.False(new PriceTable(new Dictionary<string, ModelPrice>(), Fallback).IsEmpty);
        Assert.False(Table().IsEmpty);
    }

    [Theory]
    [InlineData(0, 0, "0")]
    [InlineData(1_000_000, 0, "2.5")]
    [InlineData(0, 1_000_000, "10")]
    [InlineData(1000, 500, "0.0075")]
    [InlineData(1, 1, "0.0000125")]
    public void CostOf_PricesPerMillionTokens(long input, long output, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Gpt4o.CostOf(input, output));
    }

    [Fact]
    public async Task ExecuteAsync_CallsPricedByExactPrefixAndDefault_StepCostsAndRunCostSum()
    {
        _llm.When("first", "one", inputTokens: 1000, outputTokens: 500, model: "gpt-4o-2024-08-06")
            .When("second", "two", inputTokens: 2000, outputTokens: 1000, model: "GPT-4O-MINI")
            .When("third", "three", inputTokens: 100, outputTokens: 100, model: "claude-3");
        var result = await CreateSut(o =>
        {
            o.Pricing["gpt-4o"] = Gpt4o;
            o.Pricing["gpt-4o-mini"] = Mini;
            o.DefaultModelPrice = Fallback;
        }).ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "ai_processing", "prompt": "first" },
              { "id": "b", "type": "ai_processing", "prompt": "second" },
              { "id": "c", "type": "ai_processing", "prompt": "third" } ]
            """), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(0.0075m, result.Steps["a"].Cost);
        Assert.Equal(0.0009m, result.Steps["b"].Cost);
        Assert.Equal(0.0002m, result.Steps["c"].Cost);
        Assert.Equal(0.0086m, result.Usage.Cost);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownModelsWithoutDefault_CostZeroAndOneWarningPerModel()
    {
        _llm.When("first", "one", model: "claude-3")
            .When("second", "two", model: "claude-3")
            .When("third", "three", model: "llama")
            .When("fourth", "four", inputTokens: 1_000_000, outputTokens: 0, model: "gpt-4o");
        var result = await CreateSut(o => o.Pricing["gpt-4o"] = Gpt4o).ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "ai_processing", "prompt": "first" },
              { "id": "b", "type": "ai_processing", "prompt": "second" },
              { "id": "c", "type": "ai_processing", "prompt": "third" },
              { "id": "d", "type": "ai_processing", "prompt": "fourth" } ]
            """), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(0m, result.Steps["a"].Cost);
        Assert.Equal(0m, result.Steps["c"].Cost);
        Assert.Equal(2.5m, result.Usage.Cost);
        Assert.Equal(2, result.Warnings.Count);
        Assert.Single(result.Warnings, w => w.Contains("'claude-3'", StringComparison.Ordinal));
        Assert.Single(result.Warnings, w => w.Contains("'llama'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_UnknownModelInCallerAndSubWorkflow_OneWarningForTheRun()
    {
        _llm.When("first", "one", model: "claude-3").When("second", "two", model: "claude-3");
        var result = await CreateSut(o => o.Pricing["gpt-4o"] = Gpt4o).ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "ai_processing", "prompt": "first" },
              { "id": "sub", "type": "sub_workflow", "workflowSteps": [ { "id": "b", "type": "ai_processing", "prompt": "second" } ] } ]
            """), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Single(result.Warnings);
    }

    [Fact]
    public async Task ExecuteAsync_NoPricingConfigured_CostZeroWithoutWarnings()
    {
        _llm.When("first", "one", inputTokens: 500, outputTokens: 500, model: "anything");
        var result = await CreateSut().ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "ai_processing", "prompt": "first" } ]"""), Request());

        Assert.Equal(0m, result.Usage.Cost);
        Assert.Equal(0m, result.Steps["a"].Cost);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task ExecuteAsync_ResponseNamesNoModel_PricedByTheStepsModel()
    {
        _llm.When("first", _ => new Orchestrator.Core.Ports.LlmResponse { Text = "x", InputTokens = 1_000_000, OutputTokens = 0, Model = null });
        var result = await CreateSut(o => o.Pricing["gpt-4o"] = Gpt4o).ExecuteAsync(
            Workflows.Load("""[ { "id": "a", "type": "ai_processing", "prompt": "first", "model": "gpt-4o" } ]"""), Request());

        Assert.Equal(2.5m, result.Steps["a"].Cost);
        Assert.Equal("gpt-4o", result.Steps["a"].Model);
    }

    [Fact]
    public async Task ExecuteAsync_LoopOfLlmSteps_LoopStepCostIncludesIterationsRunCostCountsEachCallOnce()
    {
        _llm.When("item", "ok", inputTokens: 1_000_000, outputTokens: 0, model: "gpt-4o");
        var result = await CreateSut(o => o.Pricing["gpt-4o"] = Gpt4o).ExecuteAsync(Workflows.Load("""
            { "input_schema": [ { "name": "xs", "type": "any" } ],
              "workflow_steps": [ { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}", "loopSteps": [
                { "id": "ask", "type": "ai_processing", "prompt": "item {{current}}" } ] } ] }
            """), new WorkflowExecutionRequest { UserId = "u1", Inputs = Json.Parse("""{ "xs": [1, 2, 3] }""") });

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(7.5m, result.Steps["each"].Cost);
        Assert.Equal(7.5m, result.Usage.Cost);
        Assert.Equal(3, result.Usage.LlmCalls);
    }
}
