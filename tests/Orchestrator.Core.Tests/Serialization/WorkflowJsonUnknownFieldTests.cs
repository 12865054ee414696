using System.Text.Json;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

/// <summary>Unknown fields inside a step's objects, conditions and inner steps are reported as ORC006, never lost silently.</summary>
public sealed class WorkflowJsonUnknownFieldTests
{
    private const string Action = """ "type": "action", "plugin": "p", "action": "a" """;

    private static WorkflowDiagnostic SingleUnknownField(string json)
    {
        var result = WorkflowJson.Load(json);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownField, diagnostic.Code);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        return diagnostic;
    }

    [Fact]
    public void Load_TypoInRetryPolicy_ReportsOrc006WithSuggestionAndKnownFields()
    {
        var diagnostic = SingleUnknownField($$"""
            { "workflow_steps": [
              { "id": "a", "type": "delay", "duration": 1 },
              { "id": "b", "type": "delay", "duration": 1 },
              { "id": "send", {{Action}}, "retryPolicy": { "maxRetry": 3, "backoffMs": 100 } } ] }
            """);

        Assert.Equal("send", diagnostic.StepId);
        Assert.Equal("$.workflow_steps[2].retryPolicy.maxRetry", diagnostic.Path);
        Assert.Equal(
            "Unknown field 'maxRetry' in retryPolicy is ignored; did you mean 'maxRetries'? Known: maxRetries, backoffMs, backoffMultiplier, jitter, retryableErrors.",
            diagnostic.Message);
    }

    [Theory]
    [InlineData("""{ "id": "s", "type": "delay", "duration": 1, "cache": { "enabled": true, "tll": 60 } }""", "cache.tll", "ttl")]
    [InlineData("""{ "id": "s", "type": "action", "plugin": "p", "action": "a", "rollbackAction": { "plugin": "p", "acton": "undo", "action": "undo" } }""", "rollbackAction.acton", "action")]
    [InlineData("""{ "id": "s", "type": "scatter_gather", "scatter": { "input": "input.items", "steps": [ { "id": "i", "type": "delay", "duration": 1 } ], "maxConcurency": 2 } }""", "scatter.maxConcurency", "maxConcurrency")]
    [InlineData("""{ "id": "s", "type": "scatter_gather", "scatter": { "input": "input.items", "steps": [ { "id": "i", "type": "delay", "duration": 1 } ] }, "gather": { "operation": "collect", "output_key": "x" } }""", "gather.output_key", "outputKey")]
    [InlineData("""{ "id": "s", "type": "transform", "operation": "sort", "input": "input.items", "config": { "field": "n", "oder": "desc" } }""", "config.oder", "order")]
    [InlineData("""{ "id": "s", "type": "transform", "operation": "aggregate", "input": "input.items", "config": { "aggregations": [ { "field": "n", "operation": "sum" }, { "field": "n", "operation": "count", "alais": "c" } ] } }""", "config.aggregations[1].alais", "alias")]
    [InlineData("""{ "id": "s", "type": "enrichment", "sources": [ { "key": "a", "from": "input.a", "form": "input.b" } ] }""", "sources[0].form", "from")]
    [InlineData("""{ "id": "s", "type": "validation", "input": "input.user", "rules": [ { "field": "email", "mesage": "needed" } ] }""", "rules[0].mesage", "message")]
    [InlineData("""{ "id": "s", "type": "validation", "input": "input.user", "schema": { "type": "object", "minLenght": 1 } }""", "schema.minLenght", "minLength")]
    [InlineData("""{ "id": "s", "type": "validation", "input": "input.user", "schema": { "type": "object", "properties": { "name": { "type": "string", "patern": "^a" } } } }""", "schema.properties.name.patern", "pattern")]
    public void Load_UnknownFieldInStepObject_ReportsOrc006AtItsPath(string step, string relativePath, string suggestion)
    {
        var diagnostic = SingleUnknownField($"[ {step} ]");

        Assert.Equal("s", diagnostic.StepId);
        Assert.Equal("$[0]." + relativePath, diagnostic.Path);
        Assert.Contains($"did you mean '{suggestion}'?", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "id": "s", "type": "conditional", "condition": { "field": "input.n", "operator": "greater_than", "value": 1, "vaule": 2 } }""", "condition.vaule")]
    [InlineData("""{ "id": "s", "type": "delay", "duration": 1, "executeIf": { "field": "input.n", "operator": "is_empty", "Value": 1 } }""", "executeIf.Value")]
    [InlineData("""{ "id": "s", "type": "conditional", "condition": { "and": [ true, { "not": { "field": "input.n", "operator": "is_empty", "valeu": 1 } } ] } }""", "condition.and[1].not.valeu")]
    [InlineData("""{ "id": "s", "type": "transform", "operation": "filter", "input": "input.items", "config": { "condition": { "field": "item.n", "operator": "is_empty", "vlaue": 1 } } }""", "config.condition.vlaue")]
    [InlineData("""{ "id": "s", "type": "validation", "input": "input.user", "rules": [ { "field": "n", "condition": { "field": "value", "operator": "is_not_empty", "valeu": 1 } } ] }""", "rules[0].condition.valeu")]
    public void Load_UnknownFieldInCondition_ReportsOrc006WithSuggestion(string step, string relativePath)
    {
        var diagnostic = SingleUnknownField($"[ {step} ]");

        Assert.Equal("$[0]." + relativePath, diagnostic.Path);
        Assert.Contains("did you mean 'value'?", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("Known: field, operator, value, and, or, not, conditionType, conditions, condition, kind, left, right.", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConditionWithTwoForms_ReportsTheFormTheParserIgnores()
    {
        var diagnostic = SingleUnknownField("""
            [ { "id": "s", "type": "conditional", "condition": { "and": [ true ], "or": [ false ] } } ]
            """);

        Assert.Equal("$[0].condition.or", diagnostic.Path);
        Assert.Equal("Field 'or' in a condition is ignored: a condition with 'and' uses only 'and'.", diagnostic.Message);
    }

    [Theory]
    [InlineData("""{ "id": "s", "type": "loop", "iterateOver": "input.items", "loopSteps": [ { "id": "x", "type": "delay", "duration": 1 }, { "id": "inner", "type": "delay", "duration": 1, "colour": "red" } ] }""", "loopSteps[1].colour")]
    [InlineData("""{ "id": "s", "type": "parallel_group", "steps": [ { "id": "inner", "type": "delay", "duration": 1, "colour": "red" } ] }""", "steps[0].colour")]
    [InlineData("""{ "id": "s", "type": "scatter_gather", "scatter": { "input": "input.items", "steps": [ { "id": "inner", "type": "delay", "duration": 1, "colour": "red" } ] } }""", "scatter.steps[0].colour")]
    [InlineData("""{ "id": "s", "type": "sub_workflow", "workflowSteps": [ { "id": "inner", "type": "delay", "duration": 1, "colour": "red" } ] }""", "workflowSteps[0].colour")]
    [InlineData("""{ "id": "s", "type": "parallel_group", "steps": [ { "id": "inner", "type": "switch", "evaluate": "input.kind", "cases": { "a": "x" }, "colour": "red" } ] }""", "steps[0].colour")]
    [InlineData("""{ "id": "s", "type": "parallel_group", "steps": [ { "id": "inner", "type": "human_approval", "approvers": ["x"], "colour": "red" } ] }""", "steps[0].colour")]
    public void Load_UnknownFieldOfInnerStep_ReportsOrc006WithTheInnerStepsId(string step, string relativePath)
    {
        var diagnostic = SingleUnknownField($"[ {step} ]");

        Assert.Equal("inner", diagnostic.StepId);
        Assert.Equal("$[0]." + relativePath, diagnostic.Path);
        Assert.StartsWith("Unknown field 'colour' on a '", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownFieldInObjectOfStepAtDepthTwo_ReportsInnerStepIdAndFullPath()
    {
        var diagnostic = SingleUnknownField($$"""
            { "workflow_steps": [
              { "id": "first", "type": "delay", "duration": 1 },
              { "id": "outer", "type": "loop", "iterateOver": "input.items", "loopSteps": [
                { "id": "x", "type": "delay", "duration": 1 },
                { "id": "group", "type": "parallel_group", "steps": [
                  { "id": "deep", {{Action}}, "params": { "anything": 1 }, "retryPolicy": { "max_retries": 2 } } ] } ] } ] }
            """);

        Assert.Equal("deep", diagnostic.StepId);
        Assert.Equal("$.workflow_steps[1].loopSteps[1].steps[0].retryPolicy.max_retries", diagnostic.Path);
        Assert.Contains("did you mean 'maxRetries'?", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownFieldOfInnerStepWithoutId_NamesItByPositionInItsList()
    {
        var diagnostic = SingleUnknownField("""
            [ { "id": "g", "type": "parallel_group", "steps": [
                { "type": "delay", "duration": 1 },
                { "type": "delay", "duration": 1, "dependecies": [] } ] } ]
            """);

        Assert.Equal("step2", diagnostic.StepId);
        Assert.Equal("$[0].steps[1].dependecies", diagnostic.Path);
        Assert.Equal("Unknown field 'dependecies' on a 'delay' step is ignored; did you mean 'dependencies'?", diagnostic.Message);
    }

    [Fact]
    public void Load_LegacyInnerStep_ReportsNoWarningForOperationOrPluginAction()
    {
        var result = WorkflowJson.Load("""
            [ { "id": "g", "type": "parallel_group", "steps": [
                { "operation": "Search", "plugin": "mail", "plugin_action": "search", "params": {} },
                { "type": "ai_processing", "operation": "Summarise the mail" } ] } ]
            """);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Load_UnknownFieldsEverywhere_ReportsEachAndStillReadsTheKnownOnes()
    {
        var result = WorkflowJson.Load($$"""
            [ { "id": "a", {{Action}}, "colour": 1, "retryPolicy": { "maxRetries": 2, "x": 1 }, "cache": { "enabled": true, "y": 2 } } ]
            """);

        Assert.True(result.Succeeded);
        Assert.Equal(["$[0].colour", "$[0].retryPolicy.x", "$[0].cache.y"], result.Diagnostics.Select(d => d.Path));
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.UnknownField, d.Code));
        var step = Assert.IsType<ActionStep>(Assert.Single(result.Definition!.Steps));
        Assert.Equal(2, step.RetryPolicy!.MaxRetries);
        Assert.True(step.Cache!.Enabled);
    }

    [Fact]
    public void Load_FreeFormObjects_AreNotReported()
    {
        var result = WorkflowJson.Load("""
            { "workflow_steps": [
              { "id": "a", "type": "action", "plugin": "p", "action": "a", "params": { "anyKey": { "deep": [ { "what": 1 } ] } },
                "metadata": { "owner": "x" }, "fallback": { "whatever": [] },
                "rollbackAction": { "plugin": "p", "action": "undo", "params": { "free": true } },
                "cache": { "enabled": true, "key": { "any": "{{input.k}}" } },
                "executeIf": { "field": "input.n", "operator": "equals", "value": { "field": "not a condition", "x": 1 } } },
              { "id": "b", "type": "ai_processing", "prompt": "p", "params": { "x": 1 },
                "outputSchema": { "type": "object", "properties": { "n": { "type": "number", "enum": [1] } }, "additionalProperties": false } },
              { "id": "c", "type": "sub_workflow", "workflowId": "w", "inputs": { "who": "{{input.k}}" }, "outputMapping": { "out": "x.data" } },
              { "id": "d", "type": "transform", "operation": "map", "input": "input.items", "config": { "mapping": { "anything": "{{item.n}}" } } },
              { "id": "e", "type": "switch", "evaluate": "input.kind", "cases": { "any value": ["a"] } },
              { "id": "f", "type": "human_approval", "approvers": ["x"], "context": { "free": 1 } },
              { "id": "g", "type": "validation", "input": "input.user",
                "schema": { "title": "User", "description": "d", "properties": { "any name": { "type": "string", "minimum": 1 } } } },
              { "id": "h", "type": "loop", "iterateOver": "input.items", "loopSteps": [
                { "id": "i", "type": "action", "plugin": "p", "action": "a", "params": { "free": 1 } } ] } ] }
            """);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Load_UnknownFieldWithNothingClose_HasNoSuggestion()
    {
        var diagnostic = SingleUnknownField("""[ { "id": "s", "type": "delay", "duration": 1, "retryPolicy": { "colour": "red" } } ]""");

        Assert.Equal("Unknown field 'colour' in retryPolicy is ignored. Known: maxRetries, backoffMs, backoffMultiplier, jitter, retryableErrors.", diagnostic.Message);
    }

    [Theory]
    [InlineData("email-summary.json", "")]
    [InlineData("research-digest.json", "")]
    [InlineData("email-summary-legacy.json", "")]
    [InlineData("invalid/cycle-and-missing.json", DiagnosticCodes.UnknownStepType)]
    public void Load_SharedFixture_ReportsNoUnknownFieldAndOnlyItsKnownLoadErrors(string name, string expectedErrors)
    {
        var result = WorkflowJson.Load(TestJson.ReadFixture(name));

        Assert.NotNull(result.Definition);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);
        Assert.Equal(expectedErrors, string.Join(',', result.Diagnostics.Where(d => d.IsError).Select(d => d.Code)));
    }

    [Fact]
    public void Check_StepWithoutUnknownFields_AllocatesNothing()
    {
        using var document = JsonDocument.Parse("""
            { "id": "s", "type": "scatter_gather", "executeIf": { "and": [ { "field": "input.n", "operator": "greater_than", "value": 1 } ] },
              "retryPolicy": { "maxRetries": 1, "backoffMs": 10 }, "cache": { "enabled": true, "ttl": 5 },
              "scatter": { "input": "input.items", "steps": [
                { "id": "v", "type": "validation", "input": "item", "schema": { "type": "object", "properties": { "n": { "type": "number" } } },
                  "rules": [ { "field": "n", "condition": { "field": "value", "operator": "is_not_empty" } } ] },
                { "id": "t", "type": "transform", "operation": "aggregate", "input": "item",
                  "config": { "aggregations": [ { "field": "n", "operation": "sum" } ] } } ] },
              "gather": { "operation": "collect" } }
            """);
        var warnings = new List<FieldWarning>();
        UnknownFields.Check(document.RootElement, StepTypeNames.ScatterGather, isLegacy: false, warnings); // warm up the tables

        var before = GC.GetAllocatedBytesForCurrentThread();
        UnknownFields.Check(document.RootElement, StepTypeNames.ScatterGather, isLegacy: false, warnings);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Empty(warnings);
        Assert.Equal(0, allocated);
    }
}
