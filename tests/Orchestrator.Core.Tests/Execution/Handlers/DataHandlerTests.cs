using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class DataHandlerTests
{
    private readonly ScriptedPluginExecutor _plugins = new();
    private readonly ScriptedLlmClient _llm = new();

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, _llm).Build();

    private Task<WorkflowExecutionResult> RunResearchDigestAsync(Func<string, string> digestOf)
    {
        _plugins.On("web.search", r => PluginResult.Ok(Json.Parse($$"""{ "results": [ "about {{r.Parameters.GetProperty("q").GetString()}}" ] }""")))
            .On("email.send", """{ "sent": true }""");
        _llm.When("Write three sentences about", r =>
        {
            var topic = r.Prompt["Write three sentences about ".Length..r.Prompt.IndexOf(" from:", StringComparison.Ordinal)];
            return new LlmResponse { Text = digestOf(topic), InputTokens = 10, OutputTokens = 5 };
        });
        return CreateSut().ExecuteAsync(
            Workflows.Load(Workflows.Fixture("research-digest.json")),
            new WorkflowExecutionRequest { UserId = "u1", Inputs = Json.Parse("""{ "topics": ["alpha", "beta", "gamma"], "recipient": "ann@example.org" }""") }).AsTask();
    }

    [Fact]
    public async Task Transform_ResearchDigest_FiltersEmptyDigestsCountsAndSends()
    {
        var result = await RunResearchDigestAsync(topic => topic == "beta" ? "" : $"Sentences about {topic}.");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, result.Steps["nonempty"].Data.GetArrayLength());
        Assert.Equal("""{"n":2}""", result.Steps["count"].Data.Text());
        Assert.Equal(StepStatus.Skipped, result.Steps["tell_nothing"].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["review"].Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["send_digest"].Status);
        var body = _plugins.CallsTo("email.send").Single().Parameters.GetProperty("body");
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        Assert.Equal("Sentences about alpha.", body[0].GetProperty("digest").GetProperty("decision").GetString());
        Assert.Equal("Sentences about gamma.", body[1].GetProperty("digest").GetProperty("decision").GetString());
        Assert.Equal(2, result.Output.GetProperty("sent_topics").GetInt32());
        Assert.Equal(45, result.Usage.TotalTokens);
    }

    [Fact]
    public async Task Transform_ResearchDigestWithNoDigests_CountIsZeroAndTheZeroCaseRuns()
    {
        var result = await RunResearchDigestAsync(_ => "");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("""{"n":0}""", result.Steps["count"].Data.Text());
        Assert.Equal(StepStatus.Succeeded, result.Steps["tell_nothing"].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["send_digest"].Status);
        Assert.Equal("No news today", _plugins.CallsTo("email.send").Single().Parameters.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Regression_TransformReadsItsOwnFieldsNotParams()
    {
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "xs", "type": "array" } ],
              "workflow_steps": [
                { "id": "sorted", "type": "transform", "operation": "sort", "input": "{{input.xs}}", "config": { "field": "n", "order": "desc" },
                  "params": { "operation": "filter", "input": [], "config": { "order": "asc" } } }
              ]
            }
            """,
            """{ "xs": [ { "n": 1 }, { "n": 3 }, { "n": 2 } ] }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("""[{"n":3},{"n":2},{"n":1}]""", result.Steps["sorted"].Data.Text());
    }

    [Fact]
    public async Task Transform_InputNotAList_FailsWithItsCode()
    {
        var result = await CreateSut().RunAsync(
            """
            { "input_schema": [ { "name": "x", "type": "string" } ],
              "workflow_steps": [ { "id": "m", "type": "transform", "operation": "filter", "input": "{{input.x}}", "config": { "condition": { "field": "item", "operator": "exists" } } } ] }
            """,
            """{ "x": "text" }""");

        Assert.Equal(StepStatus.Failed, result.Steps["m"].Status);
        Assert.NotNull(result.Steps["m"].ErrorCode);
    }

    [Fact]
    public async Task Enrichment_Merge_CombinesStepOutputs()
    {
        _plugins.On("crm.user", """{ "id": 1, "name": "Ann" }""").On("shop.orders", """[ { "sku": "x" } ]""");
        var result = await CreateSut().RunAsync(
            """
            [ { "id": "user", "type": "action", "plugin": "crm", "action": "user" },
              { "id": "orders", "type": "action", "plugin": "shop", "action": "orders" },
              { "id": "profile", "type": "enrichment", "strategy": "merge",
                "sources": [ { "key": "user", "from": "{{user.data}}" }, { "key": "orders", "from": "{{orders.data}}" } ] } ]
            """);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("""{"id":1,"name":"Ann","orders":[{"sku":"x"}]}""", result.Steps["profile"].Data.Text());
    }

    [Fact]
    public async Task Enrichment_Join_JoinsListsOnTheKey()
    {
        _plugins.On("crm.users", """[ { "id": 1, "name": "Ann" }, { "id": 2, "name": "Bo" } ]""")
            .On("crm.scores", """[ { "id": "2", "score": 9 } ]""");
        var result = await CreateSut().RunAsync(
            """
            [ { "id": "users", "type": "action", "plugin": "crm", "action": "users" },
              { "id": "scores", "type": "action", "plugin": "crm", "action": "scores" },
              { "id": "joined", "type": "enrichment", "strategy": "join", "joinOn": "id",
                "sources": [ { "key": "u", "from": "{{users.data}}" }, { "key": "s", "from": "{{scores.data}}" } ] } ]
            """);

        Assert.Equal("""[{"id":1,"name":"Ann"},{"id":"2","name":"Bo","score":9}]""", result.Steps["joined"].Data.Text());
    }

    private const string ValidationWorkflow = """
        {
          "input_schema": [ { "name": "user", "type": "object" } ],
          "workflow_steps": [
            { "id": "check", "type": "validation", "input": "{{input.user}}", "onValidationFail": "MODE",
              "schema": { "type": "object", "required": ["email"], "properties": { "age": { "type": "number", "min": 18 } } },
              "rules": [ { "field": "email", "condition": { "field": "value", "operator": "contains", "value": "@" }, "message": "email needs an @" } ] },
            { "id": "next", "type": "action", "plugin": "t", "action": "next", "dependencies": ["check"] }
          ]
        }
        """;

    [Fact]
    public async Task Validation_ValidInput_SucceedsWithReport()
    {
        _plugins.On("t.next", "{}");
        var result = await CreateSut().RunAsync(ValidationWorkflow.Replace("MODE", "throw", StringComparison.Ordinal), """{ "user": { "email": "a@b", "age": 30 } }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.True(result.Steps["check"].Data.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Validation_InvalidWithThrow_FailsTheStepWithEveryProblem()
    {
        _plugins.On("t.next", "{}");
        var result = await CreateSut().RunAsync(ValidationWorkflow.Replace("MODE", "throw", StringComparison.Ordinal), """{ "user": { "email": "nope", "age": 12 } }""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("VALIDATION_FAILED", result.Steps["check"].ErrorCode);
        Assert.Contains("email needs an @", result.Steps["check"].Error, StringComparison.Ordinal);
        Assert.Contains("age", result.Steps["check"].Error, StringComparison.Ordinal);
        Assert.Empty(_plugins.Calls);
    }

    [Fact]
    public async Task Validation_InvalidWithThrow_FailedStepKeepsTheReportAsData()
    {
        _plugins.On("t.next", "{}");
        var result = await CreateSut().RunAsync(ValidationWorkflow.Replace("MODE", "throw", StringComparison.Ordinal), """{ "user": { "email": "nope", "age": 12 } }""");

        Assert.False(result.Steps["check"].Data.GetProperty("valid").GetBoolean());
        Assert.Equal(2, result.Steps["check"].Data.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task Validation_InvalidWithContinue_SucceedsWithTheReportAndDependentsRun()
    {
        _plugins.On("t.next", "{}");
        var result = await CreateSut().RunAsync(ValidationWorkflow.Replace("MODE", "continue", StringComparison.Ordinal), """{ "user": { "age": 30 } }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.False(result.Steps["check"].Data.GetProperty("valid").GetBoolean());
        Assert.Single(_plugins.Calls);
    }

    [Fact]
    public async Task Validation_InvalidWithSkip_StepIsSkippedAndTheRunGoesOn()
    {
        _plugins.On("t.next", "{}");
        var result = await CreateSut().RunAsync(ValidationWorkflow.Replace("MODE", "skip", StringComparison.Ordinal), """{ "user": { "age": 30 } }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["check"].Status);
        Assert.NotNull(result.Steps["check"].SkipReason);
        Assert.Equal(StepStatus.Succeeded, result.Steps["next"].Status);
    }

    [Theory]
    [InlineData("equals", "boolean", "true")]
    [InlineData("deep_equals", "boolean", "false")]
    [InlineData("contains", "boolean", "true")]
    [InlineData("subset", "boolean", "true")]
    public async Task Comparison_Operation_ComparesLeftAndRight(string operation, string format, string expected)
    {
        _plugins.On("a.get", """{ "tags": ["x", "y"], "n": 1 }""").On("b.get", """{ "tags": ["x", "y", "z"], "n": "1" }""");
        var left = operation switch { "equals" => "{{a.data.n}}", "deep_equals" => "{{a.data}}", "contains" => "{{b.data.tags}}", _ => "{{a.data.tags}}" };
        var right = operation switch { "equals" => "{{b.data.n}}", "deep_equals" => "{{b.data}}", "contains" => "{{a.data.tags[1]}}", _ => "{{b.data.tags}}" };
        var result = await CreateSut().RunAsync(
            $$"""
            [ { "id": "a", "type": "action", "plugin": "a", "action": "get" },
              { "id": "b", "type": "action", "plugin": "b", "action": "get" },
              { "id": "cmp", "type": "comparison", "operation": "{{operation}}", "outputFormat": "{{format}}", "left": "{{left}}", "right": "{{right}}" } ]
            """);

        Assert.True(result.Status == ExecutionStatus.Succeeded, result.Error);
        Assert.Equal(expected, result.Steps["cmp"].Data.Text());
    }

    [Fact]
    public async Task Comparison_DiffOfTwoSteps_ReportsTheChanges()
    {
        _plugins.On("a.get", """{ "x": 1, "y": 2 }""").On("b.get", """{ "x": 1, "y": 3, "z": 4 }""");
        var result = await CreateSut().RunAsync(
            """
            [ { "id": "a", "type": "action", "plugin": "a", "action": "get" },
              { "id": "b", "type": "action", "plugin": "b", "action": "get" },
              { "id": "cmp", "type": "comparison", "operation": "diff", "outputFormat": "detailed", "left": "{{a.data}}", "right": "{{b.data}}" } ]
            """);

        var data = result.Steps["cmp"].Data;
        Assert.False(data.GetProperty("equal").GetBoolean());
        Assert.Equal(4, data.GetProperty("diff").GetProperty("added").GetProperty("z").GetInt32());
        Assert.Equal(3, data.GetProperty("diff").GetProperty("changed").GetProperty("y").GetProperty("to").GetInt32());
    }
}
