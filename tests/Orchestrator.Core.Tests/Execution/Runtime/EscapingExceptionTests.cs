using System.Diagnostics.CodeAnalysis;
using System.Text;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;
using Orchestrator.Core.Tests.Execution.Handlers;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

/// <summary>Regression tests for exceptions that escaped the public API (issue 12): each now ends as a diagnostic or a failed step.</summary>
public class EscapingExceptionTests
{
    private readonly ScriptedPluginExecutor _plugins = new();
    private readonly ScriptedLlmClient _llm = new();

    private WorkflowOrchestrator CreateSut(IPluginCatalog? catalog = null)
    {
        var builder = new WorkflowOrchestratorBuilder(_plugins, _llm);
        return (catalog is null ? builder : builder.AddPluginCatalog(catalog)).Build();
    }

    private static string Nested(int depth)
    {
        var text = new StringBuilder();
        text.Append('[', depth - 1).Append('1').Append(']', depth - 1);
        return text.ToString();
    }

    [Theory]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    public async Task ExecuteAsync_PluginReplyNestedNearTheReaderDepth_EndsWithoutThrowing(int depth)
    {
        _plugins.On("t.deep", Nested(depth));
        var result = await CreateSut().RunAsync("""
            { "workflow_steps": [
              { "id": "deep", "type": "action", "plugin": "t", "action": "deep" },
              { "id": "same", "type": "comparison", "left": "{{deep.data}}", "right": "{{deep.data}}", "operation": "equals" } ],
              "output_schema": [ { "name": "o", "source": "deep.data" } ] }
            """);

        Assert.Contains(result.Status, new[] { ExecutionStatus.Succeeded, ExecutionStatus.Failed });
    }

    [Theory]
    [InlineData(62)]
    [InlineData(64)]
    public async Task ExecuteAsync_DeepDataInsideALoopWithCheckpoints_IsStoredAndTheRunEnds(int depth)
    {
        _plugins.On("t.deep", Nested(depth));
        var orchestrator = new WorkflowOrchestratorBuilder(_plugins, _llm).AddCheckpointStore(new Core.Durability.InMemoryCheckpointStore()).Build();
        var result = await orchestrator.RunAsync("""
            { "workflow_steps": [ { "id": "each", "type": "loop", "iterateOver": [1, 2],
                "loopSteps": [ { "id": "deep", "type": "action", "plugin": "t", "action": "deep" } ] } ] }
            """);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task ExecuteAsync_PluginReplyDeeperThanTheDataDepthLimit_FailsTheStepWithLimitExceeded()
    {
        _plugins.On("t.deep", _ =>
        {
            using var document = System.Text.Json.JsonDocument.Parse(Nested(ExecutionLimits.DataDepthCeiling + 10), new System.Text.Json.JsonDocumentOptions { MaxDepth = 1000 });
            return PluginResult.Ok(document.RootElement.Clone());
        });
        var result = await CreateSut().RunAsync("""{ "workflow_steps": [ { "id": "deep", "type": "action", "plugin": "t", "action": "deep" } ] }""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["deep"].Status);
        Assert.Equal(ExecutionLimits.LimitExceededErrorCode, result.Steps["deep"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_InputWithNullName_IsRejectedNotThrown()
    {
        var definition = new WorkflowDefinition { InputSchema = [new InputParameter { Name = null! }], Steps = [] };
        var result = await CreateSut().ExecuteAsync(definition, new WorkflowExecutionRequest { UserId = "u1", Inputs = Json.Parse("{}") });

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
    }

    [Fact]
    public async Task ExecuteAsync_OutputWithNullName_IsRejectedNotThrown()
    {
        var definition = Workflows.Load("""{ "workflow_steps": [ { "id": "a", "type": "delay", "duration": 0 } ] }""");
        definition = definition with { OutputSchema = [new OutputField { Name = null!, Source = Orchestrator.Core.Expressions.ReferencePath.Parse("a.data") }] };
        var result = await CreateSut().ExecuteAsync(definition, new WorkflowExecutionRequest { UserId = "u1", Inputs = Json.Parse("{}") });

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
    }

    [Theory]
    [InlineData("""{ "input_schema": [ null ], "workflow_steps": [] }""")]
    [InlineData("""{ "output_schema": [ null ], "workflow_steps": [] }""")]
    [InlineData("""{ "output_schema": [ { "name": "o", "source": null } ], "workflow_steps": [] }""")]
    [InlineData("""{ "workflow_steps": [ { "id": "e", "type": "enrichment", "sources": [ null ] } ] }""")]
    [InlineData("""{ "workflow_steps": [ { "id": "v", "type": "validation", "input": "{{input.x}}", "rules": [ null ] } ] }""")]
    [InlineData("""{ "workflow_steps": [ { "id": "t", "type": "transform", "operation": "aggregate", "input": [1], "config": { "aggregations": [ null ] } } ] }""")]
    public void Plan_NullEntryTheLoaderLetThrough_IsAPlanTimeError(string json)
    {
        var loaded = WorkflowJson.Load(json);
        var planned = new Orchestrator.Core.Planning.WorkflowPlanner().Plan(loaded);

        Assert.False(planned.Succeeded);
        Assert.Contains(planned.Diagnostics, d => d.IsError);
    }

    [Fact]
    public void Load_LegacyEntryWithADuplicatedProperty_IsADiagnostic()
    {
        var result = WorkflowJson.Load("""[ { "plugin": "p", "plugin": "q", "plugin_action": "a" } ]""");

        var d = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(Diagnostics.DiagnosticCodes.InvalidValue, d.Code);
        Assert.Equal("$[0]", d.Path);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(62)]
    [InlineData(64)]
    [InlineData(200)]
    public void Load_LegacyEntryNestedNearOrPastTheDepthLimit_NeverThrows(int depth)
    {
        var result = WorkflowJson.Load($$"""[ { "plugin": "p", "plugin_action": "a", "params": { "x": {{Nested(depth)}} } } ]""");

        // Within the limit it loads; past it, it is a diagnostic naming the limit.
        Assert.True(result.Succeeded || result.Diagnostics.Any(d => d.IsError));
        if (depth + 2 > ExecutionLimits.DataDepthCeiling)
        {
            Assert.Contains(result.Diagnostics, d => d.Code == Diagnostics.DiagnosticCodes.LimitExceeded);
        }
    }

    [Fact]
    public async Task ExecuteAsync_CatalogThatThrows_IsRejectedNotThrown()
    {
        var result = await CreateSut(new ThrowingCatalog()).RunAsync("""{ "workflow_steps": [ { "id": "a", "type": "action", "plugin": "t", "action": "x" } ] }""");

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Contains("catalog", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class ThrowingCatalog : IPluginCatalog
    {
        public bool TryGetPlugin(string name, [NotNullWhen(true)] out PluginDescriptor? plugin) => throw new InvalidOperationException("catalog down");
    }
}
