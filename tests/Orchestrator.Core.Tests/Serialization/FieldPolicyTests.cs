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
    [InlineData("output_variable", "\"mails\"")]
    [InlineData("outputVariable", "\"mails\"")]
    [InlineData("step_id", "\"a\"")]
    [InlineData("_on_empty", "\"throw\"")]
    public void Load_BehaviourFieldNotActedOn_IsRefusedWithAnError(string field, string value)
    {
        var result = WorkflowJson.Load($$"""[ { "id": "a", "type": "transform", "operation": "set", "input": [], "{{field}}": {{value}} } ]""");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UnsupportedField, "a", "$[0]." + field), (error.Code, error.StepId, error.Path));
    }

    [Fact]
    public void Load_BehaviourFieldInAnInnerStep_IsRefusedWithTheInnerStepsId()
    {
        var result = WorkflowJson.Load("""
            [ { "id": "l", "type": "loop", "iterateOver": "{{input.xs}}",
                "loopSteps": [ { "id": "inner", "type": "delay", "duration": 1, "output_variable": "v" } ] } ]
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UnsupportedField, "inner", "$[0].loopSteps[0].output_variable"), (error.Code, error.StepId, error.Path));
    }

    [Theory]
    [InlineData("conditionType", "\"complex_or\"")]
    [InlineData("conditions", "[]")]
    public void Load_ConditionFieldThatChangesItsMeaning_IsRefusedWithAnError(string field, string value)
    {
        var result = WorkflowJson.Load($$"""
            [ { "id": "c", "type": "conditional", "condition": { "field": "input.x", "operator": "==", "value": 1, "{{field}}": {{value}} } } ]
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UnsupportedField, "$[0].condition." + field), (error.Code, error.Path));
    }

    [Theory]
    [InlineData("field_mapping", "{ \"a\": \"b\" }")]
    [InlineData("reduce_operation", "\"sum\"")]
    [InlineData("rules", "{ \"group_by\": \"x\" }")]
    public void Load_TransformConfigOptionNotActedOn_IsRefusedWithAnError(string field, string value)
    {
        var result = WorkflowJson.Load($$"""[ { "id": "t", "type": "transform", "operation": "map", "input": [], "config": { "{{field}}": {{value}} } } ]""");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UnsupportedField, "$[0].config." + field), (error.Code, error.Path));
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
