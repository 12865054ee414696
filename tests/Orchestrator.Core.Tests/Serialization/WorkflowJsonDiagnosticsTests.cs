using System.Text.Json;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

public sealed class WorkflowJsonDiagnosticsTests
{
    private static WorkflowDiagnostic SingleError(WorkflowLoadResult result)
    {
        Assert.False(result.Succeeded);
        return Assert.Single(result.Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("""[ { "id": "a", """, 1, 16)]
    [InlineData("""{ "workflow_steps": [ } ]""", 1, 23)]
    public void Load_MalformedJson_ReportsOrc001WithLineAndColumn(string json, int line, int column)
    {
        var result = WorkflowJson.Load(json);

        var diagnostic = SingleError(result);
        Assert.Equal(DiagnosticCodes.MalformedJson, diagnostic.Code);
        Assert.Null(result.Definition);
        Assert.Contains($"line {line}, column {column}", diagnostic.Message, StringComparison.Ordinal);
    }

    /// <summary>Found by the fuzzer (docs/fuzzing.md): JsonDocument parsed the bytes and threw when the string was read.</summary>
    [Fact]
    public async Task Load_BytesWithInvalidUtf8InsideAString_ReportsOrc001InsteadOfThrowing()
    {
        byte[] utf8 = [.. "[ { \"id\": \"a"u8, 0xC3, 0x28, .. "\", \"type\": \"action\", \"plugin\": \"p\", \"action\": \"x\" } ]"u8];

        var fromBytes = SingleError(WorkflowJson.Load(utf8));
        using var stream = new MemoryStream(utf8);
        var fromStream = SingleError(await WorkflowJson.LoadAsync(stream));

        Assert.Equal(DiagnosticCodes.MalformedJson, fromBytes.Code);
        Assert.Contains("UTF-8", fromBytes.Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticCodes.MalformedJson, fromStream.Code);
    }

    [Theory]
    [InlineData("42", "a number")]
    [InlineData("\"steps\"", "a string")]
    public void Load_ScalarRoot_ReportsOrc007(string json, string described)
    {
        var result = WorkflowJson.Load(json);

        var diagnostic = SingleError(result);
        Assert.Equal(DiagnosticCodes.InvalidDocument, diagnostic.Code);
        Assert.Equal("$", diagnostic.Path);
        Assert.Contains(described, diagnostic.Message, StringComparison.Ordinal);
        Assert.Null(result.Definition);
    }

    [Fact]
    public void Load_WorkflowStepsIsObject_ReportsOrc007AtWorkflowSteps()
    {
        var diagnostic = SingleError(WorkflowJson.Load("""{ "workflow_steps": {} }"""));

        Assert.Equal(DiagnosticCodes.InvalidDocument, diagnostic.Code);
        Assert.Equal("$.workflow_steps", diagnostic.Path);
        Assert.Null(diagnostic.StepId);
    }

    [Fact]
    public void Load_AgentRecordWithoutWorkflowSteps_ReportsOrc003()
    {
        var diagnostic = SingleError(WorkflowJson.Load("""{ "agent_name": "x" }"""));

        Assert.Equal(DiagnosticCodes.MissingField, diagnostic.Code);
        Assert.Equal("$", diagnostic.Path);
        Assert.Contains("workflow_steps", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownStepType_ReportsOrc002AndKeepsOtherSteps()
    {
        var result = WorkflowJson.Load("""
            { "workflow_steps": [
              { "id": "a", "type": "delay", "duration": 5 },
              { "id": "b", "type": "teleport" },
              { "id": "c", "type": "delay", "duration": 1 } ] }
            """);

        var diagnostic = SingleError(result);
        Assert.Equal(DiagnosticCodes.UnknownStepType, diagnostic.Code);
        Assert.Equal("b", diagnostic.StepId);
        Assert.Equal("$.workflow_steps[1]", diagnostic.Path);
        Assert.Contains("teleport", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("scatter_gather", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(["a", "c"], result.Definition!.Steps.Select(s => s.Id));
        Assert.Equal(["b"], result.UnreadableStepIds);
    }

    [Fact]
    public void Load_StepWithoutType_ReportsOrc003()
    {
        var result = WorkflowJson.Load("""[ { "id": "a" } ]""");

        var diagnostic = SingleError(result);
        Assert.Equal(DiagnosticCodes.MissingField, diagnostic.Code);
        Assert.Equal("a", diagnostic.StepId);
        Assert.Equal("$[0]", diagnostic.Path);
        Assert.Contains("'type'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ActionWithoutPluginAndAction_ReportsOrc003NamingBoth()
    {
        var diagnostic = SingleError(WorkflowJson.Load("""[ { "id": "a", "type": "action" } ]"""));

        Assert.Equal(DiagnosticCodes.MissingField, diagnostic.Code);
        Assert.Equal("$[0]", diagnostic.Path);
        Assert.Contains("'plugin'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("'action'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "id": "s", "type": "loop", "iterateOver": "{{input.items}}", "maxIterations": "many" }""", "$.workflow_steps[0].maxIterations")]
    [InlineData("""{ "id": "s", "type": "action", "plugin": "p", "action": "x", "continueOnError": "yes" }""", "$.workflow_steps[0].continueOnError")]
    [InlineData("""{ "id": "s", "type": "transform", "operation": "explode", "input": "a.b" }""", "$.workflow_steps[0].operation")]
    [InlineData("""{ "id": "s", "type": "action", "plugin": "p", "action": "x", "timeout": -5 }""", "$.workflow_steps[0].timeout")]
    public void Load_WrongValueType_ReportsOrc004AtField(string step, string path)
    {
        var result = WorkflowJson.Load("""{ "workflow_steps": [ """ + step + " ] }");

        var diagnostic = SingleError(result);
        Assert.Equal(DiagnosticCodes.InvalidValue, diagnostic.Code);
        Assert.Equal("s", diagnostic.StepId);
        Assert.Equal(path, diagnostic.Path);
        Assert.Equal(["s"], result.UnreadableStepIds);
    }

    [Theory]
    [InlineData("\"type\": \"loop\", \"iterateOver\": \"{{input.items}}\", \"maxIterations\": \"many\"", "a whole number")]
    [InlineData("\"type\": \"action\", \"plugin\": \"p\", \"action\": \"x\", \"continueOnError\": \"yes\"", "true or false")]
    [InlineData("\"type\": \"transform\", \"operation\": \"explode\", \"input\": \"a.b\"", "one of map, filter")]
    public void Load_WrongValueType_MessageNamesExpectedValue(string fields, string expected)
    {
        var diagnostic = SingleError(WorkflowJson.Load("[ { \"id\": \"s\", " + fields + " } ]"));

        Assert.Contains(expected, diagnostic.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Orchestrator.Core", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongValueInNestedLoopStep_ReportsFieldPathAndExpectedValue()
    {
        var diagnostic = SingleError(WorkflowJson.Load("""
            [ { "id": "l", "type": "loop", "iterateOver": "{{input.items}}", "loopSteps": [
                { "id": "ok", "type": "delay", "duration": 1 },
                { "id": "bad", "type": "action", "plugin": "p", "action": "x", "continueOnError": "yes" } ] } ]
            """));

        Assert.Equal(DiagnosticCodes.InvalidValue, diagnostic.Code);
        Assert.Equal("$[0].loopSteps[1].continueOnError", diagnostic.Path);
        Assert.Contains("true or false", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NegativeTimeout_MessageSaysNonNegative()
    {
        var diagnostic = SingleError(WorkflowJson.Load("""[ { "id": "s", "type": "action", "plugin": "p", "action": "x", "timeout": -5 } ]"""));

        Assert.Contains("non-negative", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnterminatedTemplateInParams_ReportsOrc005InParams()
    {
        var diagnostic = SingleError(WorkflowJson.Load("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "x", "params": { "text": "{{unterminated" } } ]
            """));

        Assert.Equal(DiagnosticCodes.InvalidExpression, diagnostic.Code);
        Assert.Equal("a", diagnostic.StepId);
        Assert.StartsWith("$[0].params", diagnostic.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadExecuteIfExpression_ReportsOrc005AtExecuteIf()
    {
        var diagnostic = SingleError(WorkflowJson.Load("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "x", "executeIf": "a == " } ]
            """));

        Assert.Equal(DiagnosticCodes.InvalidExpression, diagnostic.Code);
        Assert.Equal("a", diagnostic.StepId);
        Assert.Equal("$[0].executeIf", diagnostic.Path);
    }

    [Fact]
    public void Load_UnknownStepField_ReportsOrc006WarningAndSucceeds()
    {
        var result = WorkflowJson.Load("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "x", "dependecies": ["x"] } ]
            """);

        Assert.True(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownField, diagnostic.Code);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("a", diagnostic.StepId);
        Assert.Equal("$[0].dependecies", diagnostic.Path);
        Assert.Single(result.Definition!.Steps);
    }

    [Fact]
    public void Load_ErrorInNestedLoopStep_ReportsPathIntoLoopSteps()
    {
        var result = WorkflowJson.Load("""
            { "workflow_steps": [
              { "id": "l", "type": "loop", "iterateOver": "{{input.items}}", "loopSteps": [
                { "id": "ok", "type": "delay", "duration": 1 },
                { "id": "bad", "type": "action", "plugin": "p", "action": "x", "params": { "t": "{{oops" } } ] } ] }
            """);

        var diagnostic = SingleError(result);
        Assert.Equal(DiagnosticCodes.InvalidExpression, diagnostic.Code);
        Assert.Equal("l", diagnostic.StepId);
        Assert.StartsWith("$.workflow_steps[0].loopSteps[1]", diagnostic.Path, StringComparison.Ordinal);
        Assert.Contains("'bad'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ThreeBadSteps_ReportsThreeErrors()
    {
        var result = WorkflowJson.Load("""
            [ { "id": "a", "type": "teleport" },
              { "id": "b", "type": "action" },
              { "id": "c", "type": "delay", "duration": "soon" } ]
            """);

        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.Equal(
            [(DiagnosticCodes.UnknownStepType, "a", "$[0]"), (DiagnosticCodes.MissingField, "b", "$[1]"), (DiagnosticCodes.InvalidValue, "c", "$[2].duration")],
            errors.Select(d => (d.Code, d.StepId, d.Path)));
        Assert.Equal(new HashSet<string> { "a", "b", "c" }, result.UnreadableStepIds);
        Assert.Empty(result.Definition!.Steps);
    }

    [Fact]
    public void Load_InputSchemaEntryWithoutName_ReportsErrorAtInputSchemaEntry()
    {
        var diagnostic = SingleError(WorkflowJson.Load("""{ "input_schema": [ { "type": "string" } ], "workflow_steps": [] }"""));

        Assert.Equal(DiagnosticCodes.MissingField, diagnostic.Code);
        Assert.Null(diagnostic.StepId);
        Assert.StartsWith("$.input_schema[0]", diagnostic.Path, StringComparison.Ordinal);
        Assert.Contains("name", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetDefinitionOrThrow_BadDocument_ThrowsWithResultErrors()
    {
        var result = WorkflowJson.Load("""[ { "id": "a", "type": "teleport" }, { "id": "b", "type": "action" } ]""");

        var exception = Assert.Throws<WorkflowValidationException>(result.GetDefinitionOrThrow);

        Assert.Equal(result.Diagnostics.Where(d => d.IsError), exception.Diagnostics.Where(d => d.IsError));
        Assert.Equal(2, exception.Diagnostics.Count(d => d.IsError));
        Assert.Contains("ORC002", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DeeplyNestedParamsText_ReportsDiagnosticWithoutCrashing()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var json = """[ { "id": "a", "type": "action", "plugin": "p", "action": "x", "params": { "v": """ + deep + " } } ]";

        var diagnostic = SingleError(WorkflowJson.Load(json));

        Assert.Equal(DiagnosticCodes.MalformedJson, diagnostic.Code);
        Assert.Contains("depth", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DeeplyNestedParamsElement_ReportsDiagnosticWithoutCrashing()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        using var document = JsonDocument.Parse(
            """[ { "id": "a", "type": "action", "plugin": "p", "action": "x", "params": { "v": """ + deep + " } } ]",
            new JsonDocumentOptions { MaxDepth = 20_000 });

        var result = WorkflowJson.Load(document.RootElement);

        var diagnostic = SingleError(result);
        Assert.Equal("a", diagnostic.StepId);
        Assert.StartsWith("$[0].params", diagnostic.Path, StringComparison.Ordinal);
        Assert.Equal(["a"], result.UnreadableStepIds);
    }
}
