using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class LlmHandlerTests
{
    private readonly ScriptedPluginExecutor _plugins = new();
    private readonly ScriptedLlmClient _llm = new();

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, _llm).Build();

    private static string Decision(string options, string retry = "") =>
        $$"""[ { "id": "pick", "type": "llm_decision", "prompt": "Classify the ticket", "options": {{options}} {{retry}} } ]""";

    private static string Structured(string retry = "") =>
        $$"""
        [ { "id": "extract", "type": "ai_processing", "prompt": "Extract the ticket",
            "outputSchema": { "type": "object", "required": ["category", "score"],
                              "properties": { "category": { "type": "string" }, "score": { "type": "number" } } } {{retry}} } ]
        """;

    [Fact]
    public async Task ExecuteAsync_Prompt_RenderedWithReferencesAndParams()
    {
        _llm.When("Summarise", "ok");
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "topic", "type": "string" } ],
              "workflow_steps": [ { "id": "s", "type": "ai_processing", "prompt": "Summarise {{input.topic}} now", "params": { "lang": "{{input.topic}}" } } ]
            }
            """,
            """{ "topic": "cats" }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var request = _llm.Requests.Single();
        Assert.StartsWith("Summarise cats now", request.Prompt, StringComparison.Ordinal);
        Assert.Contains("\"lang\":\"cats\"", request.Prompt, StringComparison.Ordinal);
        Assert.Equal("s", request.StepId);
    }

    [Theory]
    [InlineData("""{ "id": "s", "type": "ai_processing", "description": "Describe the weather", "name": "Weather" }""", "Describe the weather")]
    [InlineData("""{ "id": "s", "type": "llm_decision", "name": "Name the weather" }""", "Name the weather")]
    public async Task ExecuteAsync_NoPrompt_FallsBackToDescriptionThenName(string step, string expectedPrompt)
    {
        _llm.When("the weather", "sunny");
        var result = await CreateSut().RunAsync($"[ {step} ]");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(expectedPrompt, _llm.Requests.Single().Prompt);
        Assert.Equal("sunny", result.Steps["s"].Data.GetProperty("decision").GetString());
        Assert.Equal("sunny", result.Steps["s"].Data.GetProperty("reasoning").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_TwoCalls_TokensAndModelRecordedPerStepAndInRunUsage()
    {
        _llm.When("first", "one", inputTokens: 100, outputTokens: 20, model: "model-a")
            .When("second", "two", inputTokens: 7, outputTokens: 3, model: "model-b");
        var result = await CreateSut().RunAsync(
            """
            [ { "id": "a", "type": "ai_processing", "prompt": "first" },
              { "id": "b", "type": "llm_decision", "prompt": "second {{a.data.decision}}", "model": "asked-model" } ]
            """);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(100, result.Steps["a"].InputTokens);
        Assert.Equal(20, result.Steps["a"].OutputTokens);
        Assert.Equal("model-a", result.Steps["a"].Model);
        Assert.Equal(10, result.Steps["b"].TokensUsed);
        Assert.Equal("model-b", result.Steps["b"].Model);
        Assert.Equal("asked-model", _llm.Requests.Single(r => r.StepId == "b").Model);
        Assert.Equal(new ExecutionUsage(107, 23, 2) { Credits = 1 }, result.Usage);
    }

    [Theory]
    [InlineData("urgent", "urgent")]
    [InlineData("URGENT", "urgent")]
    [InlineData("  \"Normal\". ", "normal")]
    [InlineData("I think this is urgent.", "urgent")]
    public async Task ExecuteAsync_ReplyMatchingOneOption_DecisionIsThatOption(string reply, string expected)
    {
        _llm.When("Classify", reply);
        var result = await CreateSut().RunAsync(Decision("""["urgent", "normal"]"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(expected, result.Steps["pick"].Data.GetProperty("decision").GetString());
        Assert.Equal(reply.Trim(), result.Steps["pick"].Data.GetProperty("reasoning").GetString());
    }

    [Theory]
    [InlineData("This is not urgent.", "not urgent")]
    [InlineData("Not urgent", "not urgent")]
    [InlineData("It is urgent!", "urgent")]
    public async Task ExecuteAsync_OptionContainingAnotherOption_LongerOptionWins(string reply, string expected)
    {
        _llm.When("Classify", reply);
        var result = await CreateSut().RunAsync(Decision("""["urgent", "not urgent"]"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(expected, result.Steps["pick"].Data.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_ReplyNamingBothOverlappingOptions_FailsWithInvalidDecision()
    {
        _llm.When("Classify", "urgent, or maybe not urgent");
        var result = await CreateSut().RunAsync(Decision("""["urgent", "not urgent"]"""));

        Assert.Equal("LLM_INVALID_DECISION", result.Steps["pick"].ErrorCode);
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("either urgent or normal")]
    [InlineData("urgently")]
    public async Task ExecuteAsync_ReplyNamingNoneOrSeveralOptions_FailsWithInvalidDecision(string reply)
    {
        _llm.When("Classify", reply);
        var result = await CreateSut().RunAsync(Decision("""["urgent", "normal"]"""));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("LLM_INVALID_DECISION", result.Steps["pick"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_InvalidDecisionWithRetryPolicy_AsksAgainUntilValid()
    {
        var replies = new Queue<string>(["banana", "maybe", "Normal"]);
        _llm.When("Classify", _ => new LlmResponse { Text = replies.Dequeue(), InputTokens = 1, OutputTokens = 1 });
        var result = await CreateSut().RunAsync(Decision("""["urgent", "normal"]""", """, "retryPolicy": { "maxRetries": 3, "backoffMs": 0 }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("normal", result.Steps["pick"].Data.GetProperty("decision").GetString());
        Assert.Equal(3, result.Steps["pick"].Attempts);
        Assert.Equal(3, _llm.Requests.Count);
        Assert.Equal(new ExecutionUsage(3, 3, 3) { Credits = 1 }, result.Usage);
    }

    [Theory]
    [InlineData("""{ "category": "bug", "score": 3 }""")]
    [InlineData("```json\n{ \"category\": \"bug\", \"score\": 3 }\n```")]
    [InlineData("```\n{ \"category\": \"bug\", \"score\": 3 }\n```")]
    [InlineData("Here is the JSON:\n```json\n{ \"category\": \"bug\", \"score\": 3 }\n```\nHope it helps.")]
    public async Task ExecuteAsync_OutputSchemaReply_FieldsExposedNextToDecisionAndReasoning(string reply)
    {
        _llm.When("Extract", reply);
        var result = await CreateSut().RunAsync(Structured());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var data = result.Steps["extract"].Data;
        Assert.Equal("bug", data.GetProperty("category").GetString());
        Assert.Equal(3, data.GetProperty("score").GetInt32());
        Assert.Equal(JsonValueKind.String, data.GetProperty("decision").ValueKind);
        Assert.Equal(reply.Trim(), data.GetProperty("reasoning").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_JsonReplyWithDecisionField_DecisionIsThatField()
    {
        _llm.When("Classify", """{ "decision": "Urgent", "why": "outage" }""");
        var result = await CreateSut().RunAsync(Decision("""["urgent", "normal"]"""));

        Assert.Equal("urgent", result.Steps["pick"].Data.GetProperty("decision").GetString());
        Assert.Equal("outage", result.Steps["pick"].Data.GetProperty("why").GetString());
    }

    [Theory]
    [InlineData("category: bug")]
    [InlineData("{ \"category\": \"bug\", ")]
    [InlineData("""{ "category": "bug" }""")]
    [InlineData("""{ "category": "bug", "score": "high" }""")]
    public async Task ExecuteAsync_MalformedOrMismatchedReply_FailsWithInvalidOutput(string reply)
    {
        _llm.When("Extract", reply);
        var result = await CreateSut().RunAsync(Structured());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("LLM_INVALID_OUTPUT", result.Steps["extract"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_InvalidOutputWithRetryPolicy_RetriesUntilTheReplyFits()
    {
        var replies = new Queue<string>(["not json", """{ "category": "bug" }""", """{ "category": "bug", "score": 1 }"""]);
        _llm.When("Extract", _ => new LlmResponse { Text = replies.Dequeue(), InputTokens = 2, OutputTokens = 1 });
        var result = await CreateSut().RunAsync(Structured(""", "retryPolicy": { "maxRetries": 2, "backoffMs": 0 }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(1, result.Steps["extract"].Data.GetProperty("score").GetInt32());
        Assert.Equal(3, result.Steps["extract"].Attempts);
        Assert.Equal(9, result.Usage.TotalTokens);
    }

    [Fact]
    public async Task ExecuteAsync_ReplyHoldingTemplates_IsNeverExpanded()
    {
        _llm.When("Write", "Dear {{input.secret}}, see {{var.x}}");
        _plugins.On("mail.send", """{ "sent": true }""");
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "secret", "type": "string" } ],
              "workflow_steps": [
                { "id": "write", "type": "ai_processing", "prompt": "Write a note" },
                { "id": "send", "type": "action", "plugin": "mail", "action": "send",
                  "params": { "body": "{{write.data.decision}}", "text": "Note: {{write.data.reasoning}}" } }
              ]
            }
            """,
            """{ "secret": "hunter2" }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("Dear {{input.secret}}, see {{var.x}}", result.Steps["write"].Data.GetProperty("decision").GetString());
        var parameters = _plugins.CallsTo("mail.send").Single().Parameters;
        Assert.Equal("Dear {{input.secret}}, see {{var.x}}", parameters.GetProperty("body").GetString());
        Assert.Equal("Note: Dear {{input.secret}}, see {{var.x}}", parameters.GetProperty("text").GetString());
    }
}
