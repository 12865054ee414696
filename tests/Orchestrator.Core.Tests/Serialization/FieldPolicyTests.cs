using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

/// <summary>
/// The audit of fields the model does not have: a field that changes what runs is refused with an error, harmless
/// metadata is accepted silently, anything else stays a warning (most often a typo, reported with a suggestion).
/// </summary>
public class FieldPolicyTests
{
    [Theory]
    [InlineData("reasoning", "\"the user wants mail\"")]
    [InlineData("input_schema", "{ \"type\": \"array\" }")]
    [InlineData("semantic_type", "\"email_message\"")]
    public void Load_MetadataField_IsAcceptedWithoutADiagnostic(string field, string value)
    {
        var result = WorkflowJson.Load($$"""[ { "id": "a", "type": "action", "plugin": "p", "action": "x", "{{field}}": {{value}} } ]""");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("action", "\"plugin\": \"p\", \"action\": \"x\"")]
    [InlineData("delay", "\"duration\": 1")]
    public void Load_OnEmptyOnAStepThatMakesNoList_IsRefusedWithAnError(string type, string fields)
    {
        // _on_empty decides whether an empty list fails a transform; elsewhere nothing would act on it.
        var result = WorkflowJson.Load($$"""[ { "id": "a", "type": "{{type}}", {{fields}}, "_on_empty": "throw" } ]""");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UnsupportedField, "a", "$[0]._on_empty"), (error.Code, error.StepId, error.Path));
    }

    [Fact]
    public void Load_BehaviourFieldInAnInnerStep_IsRefusedWithTheInnerStepsId()
    {
        var result = WorkflowJson.Load("""
            [ { "id": "l", "type": "loop", "iterateOver": "{{input.xs}}",
                "loopSteps": [ { "id": "inner", "type": "delay", "duration": 1, "_on_empty": "warn" } ] } ]
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UnsupportedField, "inner", "$[0].loopSteps[0]._on_empty"), (error.Code, error.StepId, error.Path));
    }

    [Theory]
    [InlineData("""{ "conditionType": "complex_or", "conditions": [ { "field": "input.x", "operator": "eq", "value": 1 } ] }""")]
    [InlineData("""{ "conditionType": "simple", "field": "input.x", "operator": "gte", "value": 1 }""")]
    public void Load_CompilerConditionForms_AreActedOnWithoutADiagnostic(string condition)
    {
        var result = WorkflowJson.Load($$"""[ { "id": "c", "type": "conditional", "condition": {{condition}} } ]""");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("field_mapping", "{ \"a\": \"b\" }")]
    [InlineData("reduce_operation", "\"sum\"")]
    [InlineData("rules", "{ \"group_by\": \"x\" }")]
    public void Load_CompilerTransformConfigOptions_AreKeptForTheOperationWithoutADiagnostic(string field, string value)
    {
        var result = WorkflowJson.Load($$"""[ { "id": "t", "type": "transform", "operation": "map", "input": [], "config": { "{{field}}": {{value}} } } ]""");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Diagnostics);
        var step = Assert.IsType<Core.Model.TransformStep>(Assert.Single(result.Definition!.Steps));
        Assert.True(step.Config!.Settings!.ContainsKey(field));
    }

    [Fact]
    public void Load_TransformConfigDescriptionOrRepeat_IsAcceptedWithoutADiagnostic()
    {
        var result = WorkflowJson.Load("""
            [ { "id": "t", "type": "transform", "operation": "map", "input": [],
                "config": { "custom_code": "Flatten the attachments", "type": "map", "input": "x", "output_schema": { "type": "array" } } } ]
            """);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Load_UnknownFieldThatLooksLikeATypo_StaysAWarningWithASuggestion()
    {
        var result = WorkflowJson.Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "x", "parms": { } } ]""");

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnknownField, DiagnosticSeverity.Warning), (warning.Code, warning.Severity));
        Assert.Contains("did you mean 'params'", warning.Message, StringComparison.Ordinal);
    }
}
