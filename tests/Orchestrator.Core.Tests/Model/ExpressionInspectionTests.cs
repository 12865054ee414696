using System.Text.Json;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Model;

/// <summary>
/// The model's public inspection properties (<c>*Json</c>, <see cref="OutputField.SourcePath"/>): a host reads what a
/// workflow says, in the form the workflow is saved in, without the internal expression tree.
/// </summary>
public sealed class ExpressionInspectionTests
{
    private static WorkflowDefinition Load(string json) => WorkflowJson.Load(json).GetDefinitionOrThrow();

    private static TStep Single<TStep>(string stepJson)
        where TStep : WorkflowStep => Assert.IsType<TStep>(Assert.Single(Load("[" + stepJson + "]").Steps));

    private static void AssertJson(string expected, JsonElement? actual)
    {
        Assert.NotNull(actual);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, actual.Value), $"expected {expected}, got {actual.Value.GetRawText()}");
    }

    [Fact]
    public void ActionStep_ParamsJson_IsTheSavedTemplateWithReferencesAsBraces()
    {
        var step = Single<ActionStep>("""{ "id": "s", "type": "action", "plugin": "p", "action": "a", "params": { "to": "{{input.user}}", "n": 3 } }""");

        AssertJson("""{ "to": "{{input.user}}", "n": 3 }""", step.ParamsJson);
    }

    [Fact]
    public void WorkflowStep_AbsentExpressions_AreNull()
    {
        var step = Single<ActionStep>("""{ "id": "s", "type": "action", "plugin": "p", "action": "a" }""");

        Assert.Null(step.ParamsJson);
        Assert.Null(step.ExecuteIfJson);
        Assert.Null(step.FallbackJson);
        Assert.Null(step.MetadataJson);
    }

    [Fact]
    public void ComparisonStep_OperandJson_WritesAReferenceAsItsBarePath()
    {
        var step = Single<ComparisonStep>("""{ "id": "c", "type": "comparison", "left": "step1.data.status", "right": "done", "operation": "deep_equals" }""");

        AssertJson("\"step1.data.status\"", step.LeftJson);
        AssertJson("\"done\"", step.RightJson);
    }

    [Fact]
    public void ConditionalStep_ConditionJson_IsWhatSerializeWrites()
    {
        var definition = Load("""[{ "id": "s1", "type": "action", "plugin": "p", "action": "a" }, { "id": "check", "type": "conditional", "condition": { "field": "s1.data.ok", "operator": "==", "value": true }, "trueBranch": "s1" }]""");
        var step = Assert.IsType<ConditionalStep>(definition.Steps[1]);

        using var saved = JsonDocument.Parse(WorkflowJson.Serialize(definition));
        var written = saved.RootElement.GetProperty("workflow_steps")[1].GetProperty("condition");
        Assert.True(JsonElement.DeepEquals(written, step.ConditionJson));
    }

    [Fact]
    public void OutputField_SourcePath_IsThePathWithoutBraces()
    {
        var definition = Load("""{ "workflow_steps": [{ "id": "s1", "type": "action", "plugin": "p", "action": "a" }], "output_schema": [{ "name": "result", "source": "{{s1.data.value}}" }] }""");

        Assert.Equal("s1.data.value", Assert.Single(definition.OutputSchema).SourcePath);
    }

    [Fact]
    public void InputParameter_DefaultJson_IsTheLiteralDefault()
    {
        var definition = Load("""{ "input_schema": [{ "name": "limit", "type": "number", "default": 10 }], "workflow_steps": [{ "id": "s1", "type": "action", "plugin": "p", "action": "a" }] }""");

        AssertJson("10", Assert.Single(definition.InputSchema).DefaultJson);
    }
}
