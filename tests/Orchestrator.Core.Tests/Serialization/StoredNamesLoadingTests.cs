using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

/// <summary>The names and references of stored agent documents (V6 compiler output): aliases, output variables, data schemas.</summary>
public class StoredNamesLoadingTests
{
    [Fact]
    public void Load_StepIdWithoutId_IsReadAsTheIdAndReportedAsInformation()
    {
        var result = WorkflowJson.Load("""[ { "step_id": "fetch", "type": "delay", "duration": 1 } ]""");

        Assert.True(result.Succeeded);
        Assert.Equal("fetch", Assert.Single(result.Definition!.Steps).Id);
        var info = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.NormalisedForm, DiagnosticSeverity.Info, "fetch", "$[0].step_id"), (info.Code, info.Severity, info.StepId, info.Path));
        Assert.False(info.IsError);
    }

    [Fact]
    public void Load_StepIdEqualToId_LoadsWithOnlyInformation()
    {
        var result = WorkflowJson.Load("""[ { "step_id": "step1", "id": "step1", "type": "delay", "duration": 1 } ]""");

        Assert.True(result.Succeeded);
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Info, d.Severity));
    }

    [Fact]
    public void Load_StepIdDifferentFromId_IsAnErrorNamingTheStepAndPath()
    {
        var result = WorkflowJson.Load("""{ "workflow_steps": [ { "id": "a", "type": "delay", "duration": 1 }, { "step_id": "b2", "id": "b", "type": "delay", "duration": 1 } ] }""");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.ConflictingAlias, error.Code);
        Assert.Equal("b", error.StepId);
        Assert.Equal("$.workflow_steps[1].step_id", error.Path);
        Assert.Contains("'b2'", error.Message.Replace("\"", "'", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InnerStepWithStepId_IsReadAndReportedAtItsInnerPath()
    {
        var result = WorkflowJson.Load("""
            [ { "id": "each", "type": "loop", "iterateOver": "{{input.items}}",
                "loopSteps": [ { "step_id": "wait", "type": "delay", "duration": 1 } ] } ]
            """);

        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        Assert.Equal("wait", Assert.IsType<LoopStep>(result.Definition!.Steps[0]).LoopSteps[0].Id);
        var info = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.NormalisedForm, info.Code);
        Assert.Equal("$[0].loopSteps[0].step_id", info.Path);
    }

    [Theory]
    [InlineData("output_variable", 0)]
    [InlineData("outputVariable", 1)]
    public void Load_OutputVariableInEitherSpelling_IsTheStepsOutputVariable(string field, int infos)
    {
        var result = WorkflowJson.Load($$"""[ { "id": "s", "type": "delay", "duration": 1, "{{field}}": "pause" } ]""");

        Assert.True(result.Succeeded);
        Assert.Equal("pause", result.Definition!.Steps[0].OutputVariable);
        Assert.Equal(infos, result.Diagnostics.Count(d => d.Code == DiagnosticCodes.NormalisedForm));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);
    }

    [Fact]
    public void Load_BothOutputVariableSpellingsDisagreeing_IsAnError()
    {
        var result = WorkflowJson.Load("""[ { "id": "s", "type": "delay", "duration": 1, "output_variable": "a", "outputVariable": "b" } ]""");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.ConflictingAlias, "s", "$[0].outputVariable"), (error.Code, error.StepId, error.Path));
    }

    [Fact]
    public void Load_OutputAndInputSchemas_AreModelledAsSchemaTreesInDocumentOrder()
    {
        var result = WorkflowJson.Load("""
            [ { "step_id": "step1", "type": "action", "plugin": "google-mail", "action": "search_emails",
                "output_variable": "candidate_emails",
                "output_schema": { "type": "object", "source": "plugin", "description": "Search results",
                  "properties": {
                    "emails": { "type": "array", "items": { "type": "object", "semantic_type": "email_message",
                      "properties": { "subject": { "type": "string" }, "id": { "type": "string" } }, "required": ["id"] } },
                    "total": { "type": ["integer", "null"] } } },
                "input_schema": { "type": "object", "properties": { "query": { "type": "string" } } } } ]
            """);

        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        var step = result.Definition!.Steps[0];
        var schema = step.OutputDataSchema!;
        Assert.Equal("object", schema.Type);
        Assert.Equal("Search results", schema.Description);
        Assert.Equal(["emails", "total"], schema.Properties.Select(p => p.Name));
        var email = schema.Property("emails")!.Items!;
        Assert.Equal("email_message", email.SemanticType);
        Assert.Equal(["subject", "id"], email.Properties.Select(p => p.Name));
        Assert.Equal(["id"], email.Required);
        Assert.Equal("integer", schema.Property("total")!.Type);
        Assert.Null(schema.Property("missing"));
        Assert.Equal("string", step.InputDataSchema!.Property("query")!.Type);
    }

    [Fact]
    public void Load_OutputSchemaThatIsNotAnObject_IsAnErrorAtItsPath()
    {
        var result = WorkflowJson.Load("""[ { "id": "s", "type": "delay", "duration": 1, "output_schema": "a list" } ]""");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.InvalidValue, error.Code);
        Assert.StartsWith("$[0].output_schema", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InputsAlias_IsReadAsInput()
    {
        var definition = WorkflowJson.Load("""[ { "id": "s", "type": "action", "plugin": "p", "action": "a", "params": { "q": "{{inputs.query}}", "t": "for {{inputs.who}}" } } ]""").Definition!;

        var parameters = Assert.IsType<ObjectTemplate>(((ActionStep)definition.Steps[0]).Params);
        Assert.Equal("input", Assert.IsType<ReferenceValue>(parameters.Properties[0].Value).Path.Root);
        Assert.Equal("input.who", Assert.Single(Assert.IsType<TextTemplate>(parameters.Properties[1].Value).Parts, p => p.Reference is not null).Reference!.ToString());
    }

    [Fact]
    public void Serialize_StoredDocument_WritesTheCanonicalFormsAndLoadSaveLoadIsStable()
    {
        var first = WorkflowJson.Load("""
            [ { "step_id": "step1", "type": "action", "plugin": "p", "action": "a", "params": { "q": "{{inputs.query}}" },
                "outputVariable": "found", "output_schema": { "type": "object", "source": "plugin", "properties": { "rows": { "type": "array", "items": { "type": "string" } } } } },
              { "step_id": "step2", "id": "step2", "type": "action", "plugin": "p", "action": "b", "params": { "rows": "{{found.rows}}" },
                "output_variable": "sent", "input_schema": { "type": "object", "required": ["rows"] } } ]
            """).Definition!;

        var saved = WorkflowJson.Serialize(first);
        var second = WorkflowJson.Load(saved);

        Assert.DoesNotContain("step_id", saved, StringComparison.Ordinal);
        Assert.DoesNotContain("inputs.", saved, StringComparison.Ordinal);
        Assert.DoesNotContain("outputVariable", saved, StringComparison.Ordinal);
        Assert.DoesNotContain("\"source\"", saved, StringComparison.Ordinal);
        Assert.Contains("\"output_variable\":\"found\"", saved, StringComparison.Ordinal);
        Assert.Contains("{{input.query}}", saved, StringComparison.Ordinal);
        Assert.Empty(second.Diagnostics);
        Assert.Equal(first, second.Definition);
        Assert.Equal(saved, WorkflowJson.Serialize(second.Definition!));
    }

    [Fact]
    public void Load_ValidationRuleThatCannotBeRead_IsReportedUnderRules()
    {
        var result = WorkflowJson.Load("""
            { "workflow_steps": [ { "id": "a", "type": "delay", "duration": 1 },
              { "id": "v", "type": "validation", "input": "{{input.order}}", "rules": [ { "field": "amount", "condition": 42 } ] } ] }
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("v", error.StepId);
        Assert.Equal("$.workflow_steps[1].rules[0].condition", error.Path);
    }

    [Fact]
    public void Load_StepThatCannotBeRead_HasItsOutputVariableTreatedAsUnreadableToo()
    {
        var result = new Core.Planning.WorkflowPlanner().Plan(WorkflowJson.Load("""
            [ { "id": "a", "type": "delay", "duration": "soon", "output_variable": "waited" },
              { "id": "b", "type": "delay", "duration": 1, "executeIf": "{{waited}} == true" } ]
            """));

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("a", error.StepId);
    }
}
