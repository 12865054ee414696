using System.Text.Json;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.Execution.Runtime;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution;

/// <summary>Stored step forms run end to end through <see cref="WorkflowOrchestrator"/>: what they mean, not only that they load.</summary>
public class StepFormsExecutionTests
{
    private const string InlineConditional = """
        { "input_schema": [ { "name": "n", "type": "number", "required": true } ],
          "workflow_steps": [
            { "id": "c", "type": "conditional", "condition": { "field": "input.n", "operator": ">", "value": 0 },
              "steps": [ { "id": "yes1", "type": "action", "plugin": "p", "action": "yes" },
                         { "id": "yes2", "type": "action", "plugin": "p", "action": "yes2", "params": { "from": "{{yes1.data.v}}" } } ],
              "else_steps": [ { "id": "no1", "type": "action", "plugin": "p", "action": "no" } ] },
            { "id": "after", "type": "action", "plugin": "p", "action": "after", "params": { "yes": "{{yes2.data.v}}", "no": "{{no1.data.v}}" } } ] }
        """;

    private static ScriptedPluginExecutor CreatePlugins() => new ScriptedPluginExecutor()
        .On("p.yes", """{ "v": "Y" }""").On("p.yes2", """{ "v": "Y2" }""").On("p.no", """{ "v": "N" }""")
        .On("p.after", r => PluginResult.Ok(r.Parameters));

    [Fact]
    public async Task ExecuteAsync_InlineThenBody_RunsItInOrderAndSkipsTheElseBody()
    {
        var plugins = CreatePlugins();
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load(InlineConditional), RuntimeTestKit.Request("""{ "n": 5 }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["yes1", "yes2", "after"], plugins.Calls.Select(c => c.StepId));
        Assert.Equal(StepStatus.Skipped, result.Steps["no1"].Status);
        Assert.Equal("Y2", result.Steps["after"].Data.GetProperty("yes").GetString());
        Assert.Equal(JsonValueKind.Null, result.Steps["after"].Data.GetProperty("no").ValueKind);
    }

    [Fact]
    public async Task ExecuteAsync_InlineElseBody_RunsWhenFalseAndSkipsTheThenBody()
    {
        var plugins = CreatePlugins();
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load(InlineConditional), RuntimeTestKit.Request("""{ "n": -1 }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["no1", "after"], plugins.Calls.Select(c => c.StepId));
        Assert.Equal(StepStatus.Skipped, result.Steps["yes1"].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["yes2"].Status);
        Assert.Equal("N", result.Steps["after"].Data.GetProperty("no").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_NestedInlineConditionalOnTheBranchNotTaken_SkipsEverythingInside()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var definition = Workflows.Load("""
            [ { "id": "outer", "type": "conditional", "condition": "false",
                "then": [ { "id": "inner", "type": "conditional", "condition": "true",
                            "then_steps": [ { "id": "deep", "type": "action", "plugin": "p", "action": "ok" } ] } ],
                "else": [ { "id": "other", "type": "action", "plugin": "p", "action": "ok" } ] } ]
            """);

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(definition, RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["other"], plugins.Calls.Select(c => c.StepId));
        Assert.Equal(StepStatus.Skipped, result.Steps["inner"].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["deep"].Status);
    }

    [Fact]
    public void Plan_InlineBodyIdClashingWithAnOuterStep_IsADuplicateId()
    {
        var result = Workflows.Plan("""
            [ { "id": "c", "type": "conditional", "condition": "true", "steps": [ { "id": "x", "type": "delay", "duration": 1 } ] },
              { "id": "x", "type": "delay", "duration": 1 } ]
            """);

        Assert.Contains(result.Diagnostics, d => d is { Code: DiagnosticCodes.DuplicateStepId, StepId: "x" });
    }

    [Fact]
    public void Plan_InlineBodyReadingAStepThatReadsIt_IsACycle()
    {
        var result = Workflows.Plan("""
            [ { "id": "c", "type": "conditional", "condition": "true",
                "steps": [ { "id": "b", "type": "action", "plugin": "p", "action": "x", "params": { "v": "{{later.data}}" } } ] },
              { "id": "later", "type": "action", "plugin": "p", "action": "x", "params": { "v": "{{b.data}}" } } ]
            """);

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.DependencyCycle);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task ExecuteAsync_TargetOfTwoConditionals_RunsWhenEitherSelectsIt(bool first, bool second)
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var definition = Workflows.Load("""
            { "input_schema": [ { "name": "a", "type": "boolean" }, { "name": "b", "type": "boolean" } ],
              "workflow_steps": [
                { "id": "c1", "type": "conditional", "condition": { "field": "input.a", "operator": "==", "value": true }, "trueBranch": "t" },
                { "id": "c2", "type": "conditional", "condition": { "field": "input.b", "operator": "==", "value": true }, "onTrue": ["t"] },
                { "id": "t", "type": "action", "plugin": "p", "action": "ok" } ] }
            """);

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(
            definition,
            RuntimeTestKit.Request($$"""{ "a": {{(first ? "true" : "false")}}, "b": {{(second ? "true" : "false")}} }"""));

        Assert.Equal(StepStatus.Succeeded, result.Steps["t"].Status);
        Assert.Single(plugins.CallsTo("p.ok"));
    }

    [Fact]
    public async Task ExecuteAsync_TargetOfTwoConditionalsNeitherSelecting_IsSkipped()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var definition = Workflows.Load("""
            [ { "id": "c1", "type": "conditional", "condition": "false", "trueBranch": "t" },
              { "id": "c2", "type": "conditional", "condition": "true", "falseBranch": "t" },
              { "id": "t", "type": "action", "plugin": "p", "action": "ok" } ]
            """);

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(definition, RuntimeTestKit.Request());

        Assert.Equal(StepStatus.Skipped, result.Steps["t"].Status);
        Assert.Empty(plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_ActionWrittenWithOperationAndConfig_CallsThePluginWithThoseParameters()
    {
        var plugins = new ScriptedPluginExecutor().On("google-mail.search_emails", "{}");
        var definition = Workflows.Load("""
            { "input_schema": [ { "name": "q", "type": "string" } ],
              "workflow_steps": [ { "id": "s", "type": "action", "plugin": "google-mail", "operation": "search_emails", "config": { "query": "{{input.q}}", "max": 5 } } ] }
            """);

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(definition, RuntimeTestKit.Request("""{ "q": "invoices" }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var call = Assert.Single(plugins.Calls);
        Assert.Equal("invoices", call.Parameters.GetProperty("query").GetString());
        Assert.Equal(5, call.Parameters.GetProperty("max").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_LegacyAiProcessingEntry_AsksTheLlmAndCallsNoPluginByThatName()
    {
        var plugins = new ScriptedPluginExecutor().On("google-mail.search_emails", """{ "emails": [] }""");
        var llm = new ScriptedLlmClient().When("threshold", "yes");
        var definition = Workflows.Load("""
            { "workflow_steps": [
              { "operation": "Fetch mail", "plugin": "google-mail", "plugin_action": "search_emails" },
              { "operation": "Decide whether the threshold is met", "plugin": "ai_processing", "plugin_action": "process" } ] }
            """);

        var result = await RuntimeTestKit.CreateSut(plugins, llm: llm).ExecuteAsync(definition, RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["google-mail.search_emails"], plugins.Calls.Select(c => $"{c.Plugin}.{c.Action}"));
        Assert.Single(llm.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_GatherFrom_GathersThatInnerStepsDataPerItem()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.fetch", r => PluginResult.Ok(r.Parameters))
            .On("p.extract", r => PluginResult.Ok(Json.Parse($$"""{ "total": {{r.Parameters.GetProperty("n").GetInt32() * 10}} }""")));
        var definition = Workflows.Load("""
            [ { "id": "g", "type": "scatter_gather",
                "scatter": { "input": [1, 2, 3], "itemVariable": "x",
                             "steps": [ { "id": "fetch", "type": "action", "plugin": "p", "action": "fetch", "params": { "n": "{{x}}" } },
                                        { "id": "extract", "type": "action", "plugin": "p", "action": "extract", "params": { "n": "{{fetch.data.n}}" } } ] },
                "gather": { "operation": "collect", "from": "extract.total" } } ]
            """);

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(definition, RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("[10,20,30]", result.Steps["g"].Data.GetRawText());
    }

    [Fact]
    public async Task ExecuteAsync_GatherFromAStepName_GathersItsWholeData()
    {
        var plugins = new ScriptedPluginExecutor().On("p.echo", r => PluginResult.Ok(r.Parameters));
        var definition = Workflows.Load("""
            [ { "id": "g", "type": "scatter_gather",
                "scatter": { "input": ["a", "b"], "steps": [ { "id": "e", "name": "echoed", "type": "action", "plugin": "p", "action": "echo", "params": { "v": "{{item}}" } } ] },
                "gather": { "from": "echoed" } } ]
            """);

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(definition, RuntimeTestKit.Request());

        Assert.Equal("""[{"v":"a"},{"v":"b"}]""", result.Steps["g"].Data.GetRawText());
    }

    [Fact]
    public void Plan_GatherFromNamingNoInnerStep_IsAnError()
    {
        var result = Workflows.Plan("""
            [ { "id": "g", "type": "scatter_gather", "scatter": { "input": [1], "steps": [ { "id": "a", "type": "delay", "duration": 1 } ] },
                "gather": { "from": "nope" } } ]
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UnknownStepReference, "g"), (error.Code, error.StepId));
        Assert.EndsWith("[0].gather.from", error.Path, StringComparison.Ordinal);
    }

    private const string Classifier = """
        { "input_schema": [ { "name": "mails", "type": "array" } ],
          "workflow_steps": [
            { "id": "classify", "type": "ai_processing", "input": "{{input.mails}}",
              "prompt": "Classify each mail.",
              "config": { "ai_type": "classify", "labels": ["urgent", "not_urgent"],
                          "output_schema": { "fields": [ { "name": "urgency", "type": "string", "description": "one of the labels" } ] } } } ] }
        """;

    [Fact]
    public async Task ExecuteAsync_AiProcessingWithInputAndConfig_SendsTheInputTaskLabelsAndFields()
    {
        var llm = new ScriptedLlmClient().When("Classify", """[ { "subject": "fire", "urgency": "urgent" } ]""");

        var result = await RuntimeTestKit.CreateSut(new ScriptedPluginExecutor(), llm: llm)
            .ExecuteAsync(Workflows.Load(Classifier), RuntimeTestKit.Request("""{ "mails": [ { "subject": "fire" } ] }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var request = Assert.Single(llm.Requests);
        Assert.Contains("""[ { "subject": "fire" } ]""".Replace(" ", string.Empty, StringComparison.Ordinal), request.Prompt.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Task: classify", request.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("urgent, not_urgent", request.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("urgency (string)", request.SystemPrompt, StringComparison.Ordinal);
        Assert.Equal("urgent", result.Steps["classify"].Data[0].GetProperty("urgency").GetString());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""[ { "subject": "fire" } ]""")]
    [InlineData("""{ "urgency": 3 }""")]
    public async Task ExecuteAsync_AiProcessingReplyNotFittingTheOutputFields_FailsWithInvalidOutput(string reply)
    {
        var llm = new ScriptedLlmClient().When("Classify", reply);

        var result = await RuntimeTestKit.CreateSut(new ScriptedPluginExecutor(), llm: llm)
            .ExecuteAsync(Workflows.Load(Classifier), RuntimeTestKit.Request("""{ "mails": [] }"""));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["classify"].Status);
        Assert.Equal("LLM_INVALID_OUTPUT", result.Steps["classify"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_AiProcessingWithLabelsOnly_AcceptsOnlyALabelAsTheDecision()
    {
        var llm = new ScriptedLlmClient().When("Is it urgent", "Probably spam.");
        var definition = Workflows.Load("""
            [ { "id": "c", "type": "ai_processing", "prompt": "Is it urgent?", "config": { "ai_type": "classify", "labels": ["urgent", "normal"] } } ]
            """);

        var result = await RuntimeTestKit.CreateSut(new ScriptedPluginExecutor(), llm: llm).ExecuteAsync(definition, RuntimeTestKit.Request());

        Assert.Equal(StepStatus.Failed, result.Steps["c"].Status);
        Assert.Equal("LLM_INVALID_DECISION", result.Steps["c"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_CachedAiProcessingWithDifferentInput_DoesNotShareTheReply()
    {
        var llm = new ScriptedLlmClient().When("Summarise", "A summary.");
        var sut = RuntimeTestKit.CreateSut(new ScriptedPluginExecutor(), llm: llm);
        var definition = Workflows.Load("""
            { "input_schema": [ { "name": "notes", "type": "array" } ],
              "workflow_steps": [ { "id": "s", "type": "ai_processing", "prompt": "Summarise.", "input": "{{input.notes}}", "cache": { "enabled": true, "ttl": 60 } } ] }
            """);

        await sut.ExecuteAsync(definition, RuntimeTestKit.Request("""{ "notes": ["a"] }"""));
        var second = await sut.ExecuteAsync(definition, RuntimeTestKit.Request("""{ "notes": ["b"] }"""));
        var third = await sut.ExecuteAsync(definition, RuntimeTestKit.Request("""{ "notes": ["b"] }"""));

        Assert.False(second.Steps["s"].CacheHit);
        Assert.True(third.Steps["s"].CacheHit);
        Assert.Equal(2, llm.Requests.Count);
    }

    [Fact]
    public async Task ExecuteAsync_AiProcessingWithInstructionAndNoPrompt_SendsTheInstruction()
    {
        var llm = new ScriptedLlmClient().When("Summarise these", "A summary.");
        var definition = Workflows.Load("""
            [ { "id": "s", "type": "ai_processing", "description": "summary step", "input": ["a", "b"], "config": { "ai_type": "summarize", "instruction": "Summarise these notes." } } ]
            """);

        var result = await RuntimeTestKit.CreateSut(new ScriptedPluginExecutor(), llm: llm).ExecuteAsync(definition, RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.StartsWith("Summarise these notes.", Assert.Single(llm.Requests).Prompt, StringComparison.Ordinal);
    }
}
