using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Tests.Usage;

public class UsageOptionsValidationTests
{
    public static TheoryData<string, string> BadOptions() => new()
    {
        { "negative-input-price", "Pricing['gpt-4o'] must be a price that is not negative" },
        { "negative-output-price", "Pricing['gpt-4o'] must be a price that is not negative" },
        { "negative-default-price", "DefaultModelPrice must not be negative" },
        { "negative-ceiling", "MaxRunCost must not be negative (was -1)" },
        { "zero-buffer", "Audit.BufferCapacity must be at least 1 (was 0)" },
        { "negative-flush", "Audit.FlushTimeout must not be negative" },
    };

    private static WorkflowOrchestratorOptions Configure(WorkflowOrchestratorOptions options, string problem)
    {
        switch (problem)
        {
            case "negative-input-price":
                options.Pricing["gpt-4o"] = new ModelPrice(-1m, 1m);
                break;
            case "negative-output-price":
                options.Pricing["gpt-4o"] = new ModelPrice(1m, -0.5m);
                break;
            case "negative-default-price":
                options.DefaultModelPrice = new ModelPrice(0m, -2m);
                break;
            case "negative-ceiling":
                options.MaxRunCost = -1m;
                break;
            case "zero-buffer":
                options.Audit.BufferCapacity = 0;
                break;
            case "negative-flush":
                options.Audit.FlushTimeout = TimeSpan.FromSeconds(-1);
                break;
        }

        return options;
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadUsageOrAuditOption_ArgumentExceptionNamingIt(string problem, string message)
    {
        var options = Configure(new WorkflowOrchestratorOptions(), problem);

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_BadUsageOrAuditOption_Throws(string problem, string message)
    {
        var options = Configure(new WorkflowOrchestratorOptions(), problem);

        var ex = Assert.Throws<ArgumentException>(() => new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(), new ScriptedLlmClient()).UseOptions(options).Build());

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void AddWorkflowOrchestrator_BadUsageOrAuditOption_OptionsValidationExceptionOnResolve(string problem, string message)
    {
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator(o => Configure(o, problem));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IWorkflowOrchestrator>());

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_AllNamedInOneMessage()
    {
        var options = new WorkflowOrchestratorOptions { MaxRunCost = -5m };
        options.Audit.BufferCapacity = -1;
        options.Pricing["m"] = new ModelPrice(-1m, -1m);

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("MaxRunCost", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Audit.BufferCapacity", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Pricing['m']", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroPricesCeilingAndFlush_Accepted()
    {
        var options = new WorkflowOrchestratorOptions { MaxRunCost = 0m, DefaultModelPrice = new ModelPrice(0m, 0m) };
        options.Pricing["free"] = new ModelPrice(0m, 0m);
        options.Audit.FlushTimeout = TimeSpan.Zero;
        options.Audit.BufferCapacity = 1;

        options.Validate();
    }

    [Fact]
    public async Task ExecuteAsync_PricingChangedBetweenRuns_NextRunUsesTheNewPrices()
    {
        var llm = new ScriptedLlmClient().When("think", "ok", inputTokens: 1_000_000, outputTokens: 0, model: "m");
        var options = new WorkflowOrchestratorOptions();
        options.Pricing["m"] = new ModelPrice(1m, 0m);
        var sut = new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(), llm).UseOptions(options).Build();
        var workflow = Workflows.Load("""[ { "id": "a", "type": "ai_processing", "prompt": "think" } ]""");
        var request = new WorkflowExecutionRequest { UserId = "u1", Inputs = Json.Parse("{}") };

        var first = await sut.ExecuteAsync(workflow, request);
        options.Pricing["m"] = new ModelPrice(3m, 0m);
        var second = await sut.ExecuteAsync(workflow, request);

        Assert.Equal(1m, first.Usage.Cost);
        Assert.Equal(3m, second.Usage.Cost);
    }
}
