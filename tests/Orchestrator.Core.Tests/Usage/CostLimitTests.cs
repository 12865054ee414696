using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Tests.Usage;

/// <summary>Every input token of the model <c>m</c> costs 1, so a call of 10 prompt tokens costs 10.</summary>
public class CostLimitTests
{
    private readonly ScriptedLlmClient _llm = new();
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
    private readonly InMemoryAuditSink _audit = new();

    private WorkflowOrchestrator CreateSut(decimal? ceiling, IMemoryStore? memory = null)
    {
        var options = new WorkflowOrchestratorOptions { MaxRunCost = ceiling };
        options.Pricing["m"] = new ModelPrice(1_000_000m, 0m);
        var builder = new WorkflowOrchestratorBuilder(_plugins, _llm).UseOptions(options).AddAuditSink(_audit);
        return (memory is null ? builder : builder.AddMemoryStore(memory)).Build();
    }

    private ScriptedLlmClient TenPerCall() => _llm.When("ask", "ok", inputTokens: 10, outputTokens: 0, model: "m");

    private static WorkflowExecutionRequest Request(string inputs = "{}") => new() { UserId = "u1", Inputs = Json.Parse(inputs), ExecutionId = "run-1" };

    private static string Chain(int count, string extra = "") =>
        "[ " + string.Join(", ", Enumerable.Range(1, count).Select(i =>
            $$"""{ "id": "s{{i}}", "type": "ai_processing", "prompt": "ask {{i}}" {{(i > 1 ? $", \"dependencies\": [\"s{i - 1}\"]" : string.Empty)}} {{extra}} }""")) + " ]";

    private int LlmCalls => _llm.Requests.Count;

    [Fact]
    public async Task ExecuteAsync_CallsCrossTheCeiling_FailedCostLimitExceededNoFurtherCall()
    {
        TenPerCall();

        var result = await CreateSut(25m).ExecuteAsync(Workflows.Load(Chain(5)), Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(WorkflowOrchestratorOptions.CostLimitErrorCode, result.ErrorCode);
        Assert.Equal("COST_LIMIT_EXCEEDED", result.ErrorCode);
        Assert.Contains("MaxRunCost", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, LlmCalls); // 10, 20, then 30 crosses 25: the third is the last.
        Assert.Equal(30m, result.Usage.Cost);
        Assert.Equal(3, result.Usage.LlmCalls);
        Assert.Equal(StepStatus.Succeeded, result.Steps["s2"].Status);
        Assert.Equal(StepStatus.Failed, result.Steps["s3"].Status);
        Assert.Equal("COST_LIMIT_EXCEEDED", result.Steps["s3"].ErrorCode);
        Assert.Equal(10m, result.Steps["s3"].Cost);
        Assert.NotEqual(StepStatus.Succeeded, result.Steps["s4"].Status);
        Assert.NotEqual(StepStatus.Succeeded, result.Steps["s5"].Status);
        var reached = Assert.Single(_audit.Events, e => e.Kind == AuditEventKind.CostLimitReached);
        Assert.Equal("s3", reached.StepId);
        Assert.Same(AuditSeverity.Critical, reached.Severity);
        var end = _audit.Events[^1];
        Assert.Same(AuditEventKind.ExecutionFailed, end.Kind);
        Assert.Equal("COST_LIMIT_EXCEEDED", end.Details.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_UnderTheCeiling_Succeeds()
    {
        TenPerCall();

        var result = await CreateSut(100m).ExecuteAsync(Workflows.Load(Chain(5)), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(5, LlmCalls);
        Assert.Equal(50m, result.Usage.Cost);
    }

    [Fact]
    public async Task ExecuteAsync_NoCeiling_EveryCallMade()
    {
        TenPerCall();

        var result = await CreateSut(null).ExecuteAsync(Workflows.Load(Chain(5)), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(5, LlmCalls);
    }

    [Fact]
    public async Task ExecuteAsync_ContinueOnErrorStepsCrossTheCeiling_RunFailedAndNoLaterLlmCall()
    {
        TenPerCall();

        var result = await CreateSut(15m).ExecuteAsync(Workflows.Load(Chain(4, """, "continueOnError": true""")), Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("COST_LIMIT_EXCEEDED", result.ErrorCode);
        Assert.Equal(2, LlmCalls);
        Assert.Equal(20m, result.Usage.Cost);
        Assert.Equal("COST_LIMIT_EXCEEDED", result.Steps["s2"].ErrorCode);
        Assert.All(new[] { "s3", "s4" }, id => Assert.NotEqual(StepStatus.Succeeded, result.Steps[id].Status));
    }

    [Fact]
    public async Task ExecuteAsync_ContinueOnErrorStepCrossesTheCeiling_IndependentLlmStepsMakeNoCall()
    {
        TenPerCall();

        // No dependencies: the steps could all start; with one at a time they run in order and only the first two call.
        var options = new WorkflowOrchestratorOptions { MaxRunCost = 15m, MaxParallelism = 1 };
        options.Pricing["m"] = new ModelPrice(1_000_000m, 0m);
        var sut = new WorkflowOrchestratorBuilder(_plugins, _llm).UseOptions(options).Build();
        var result = await sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "ai_processing", "prompt": "ask a", "continueOnError": true },
              { "id": "b", "type": "ai_processing", "prompt": "ask b", "continueOnError": true },
              { "id": "c", "type": "ai_processing", "prompt": "ask c", "continueOnError": true },
              { "id": "d", "type": "ai_processing", "prompt": "ask d", "continueOnError": true } ]
            """), Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("COST_LIMIT_EXCEEDED", result.ErrorCode);
        Assert.Equal(2, LlmCalls);
    }

    [Fact]
    public async Task ExecuteAsync_ContinueOnErrorStepCrossesTheCeiling_LaterActionStepsDoNotRun()
    {
        TenPerCall();

        var result = await CreateSut(5m).ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "ai_processing", "prompt": "ask a", "continueOnError": true },
              { "id": "send", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["a"] } ]
            """), Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Empty(_plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_LoopOfLlmStepsCrossesTheCeiling_LoopStopsAndRunFails()
    {
        TenPerCall();

        var result = await CreateSut(25m).ExecuteAsync(Workflows.Load("""
            { "input_schema": [ { "name": "xs", "type": "any" } ],
              "workflow_steps": [ { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}", "loopSteps": [
                { "id": "q", "type": "ai_processing", "prompt": "ask about {{current}}" } ] } ] }
            """), Request("""{ "xs": [1, 2, 3, 4, 5, 6] }"""));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("COST_LIMIT_EXCEEDED", result.ErrorCode);
        Assert.Equal(3, LlmCalls);
        Assert.Equal(30m, result.Usage.Cost);
    }

    [Fact]
    public async Task ExecuteAsync_LoopWithContinueOnErrorBody_NoCallAfterTheCeiling()
    {
        TenPerCall();

        var result = await CreateSut(25m).ExecuteAsync(Workflows.Load("""
            { "input_schema": [ { "name": "xs", "type": "any" } ],
              "workflow_steps": [ { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}", "loopSteps": [
                { "id": "q", "type": "ai_processing", "prompt": "ask about {{current}}", "continueOnError": true } ] } ] }
            """), Request("""{ "xs": [1, 2, 3, 4, 5, 6] }"""));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("COST_LIMIT_EXCEEDED", result.ErrorCode);
        Assert.Equal(3, LlmCalls);
    }

    [Fact]
    public async Task ExecuteAsync_SpendEqualsTheCeiling_NoFurtherCallStarts()
    {
        TenPerCall();

        var result = await CreateSut(20m).ExecuteAsync(Workflows.Load(Chain(4)), Request());

        Assert.Equal(2, LlmCalls);
        Assert.Equal("COST_LIMIT_EXCEEDED", result.ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_CeilingReachedWithMemory_SummariserMakesNoLlmCall()
    {
        TenPerCall().When(string.Empty, """{ "summary": "s", "sentiment": "negative", "key_outcomes": [], "patterns_detected": [], "suggestions": [] }""", inputTokens: 10, outputTokens: 0, model: "m");

        var result = await CreateSut(15m, new InMemoryMemoryStore()).ExecuteAsync(Workflows.Load(Chain(4)), Request());

        Assert.Equal("COST_LIMIT_EXCEEDED", result.ErrorCode);
        Assert.Equal(2, LlmCalls);
        Assert.Equal(20m, result.Usage.Cost);
    }
}
