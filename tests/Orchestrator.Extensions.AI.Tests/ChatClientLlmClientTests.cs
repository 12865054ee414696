using Microsoft.Extensions.AI;
using Orchestrator.Core.Ports;
using Orchestrator.Extensions.AI.Tests.TestSupport;

namespace Orchestrator.Extensions.AI.Tests;

public sealed class ChatClientLlmClientTests : IDisposable
{
    private readonly TestChatClient _chat = new();

    public void Dispose() => _chat.Dispose();

    private ChatClientLlmClient CreateSut(ChatClientLlmClientOptions? options = null) => new(_chat, options);

    private static LlmRequest Request(string prompt = "Summarise the day", string stepId = "summarise") =>
        new() { ExecutionId = "run-1", StepId = stepId, Prompt = prompt };

    [Fact]
    public async Task CompleteAsync_SystemPromptAndPrompt_SendsASystemThenAUserMessage()
    {
        await CreateSut().CompleteAsync(Request() with { SystemPrompt = "Be brief." });

        var call = Assert.Single(_chat.Calls);
        Assert.Collection(
            call.Messages,
            m => Assert.Equal((ChatRole.System, "Be brief."), (m.Role, m.Text)),
            m => Assert.Equal((ChatRole.User, "Summarise the day"), (m.Role, m.Text)));
    }

    [Fact]
    public async Task CompleteAsync_NoSystemPrompt_SendsOnlyTheUserMessage()
    {
        await CreateSut().CompleteAsync(Request() with { SystemPrompt = "" });

        var message = Assert.Single(Assert.Single(_chat.Calls).Messages);
        Assert.Equal(ChatRole.User, message.Role);
    }

    [Fact]
    public async Task CompleteAsync_ModelTemperatureAndMaxTokens_AreSetInTheChatOptions()
    {
        await CreateSut(new() { DefaultModel = "fallback" }).CompleteAsync(Request() with { Model = "gpt-test", Temperature = 0.25, MaxTokens = 300 });

        var options = Assert.Single(_chat.Calls).Options!;
        Assert.Equal("gpt-test", options.ModelId);
        Assert.Equal(0.25f, options.Temperature);
        Assert.Equal(300, options.MaxOutputTokens);
        Assert.Null(options.ResponseFormat);
    }

    [Fact]
    public async Task CompleteAsync_StepNamesNoModel_AsksForTheDefaultModel()
    {
        await CreateSut(new() { DefaultModel = "fallback" }).CompleteAsync(Request());

        var options = Assert.Single(_chat.Calls).Options!;
        Assert.Equal("fallback", options.ModelId);
        Assert.Null(options.Temperature);
        Assert.Null(options.MaxOutputTokens);
    }

    [Fact]
    public async Task CompleteAsync_NoModelAnywhere_LeavesTheChatClientsDefault()
    {
        await CreateSut().CompleteAsync(Request());

        Assert.Null(Assert.Single(_chat.Calls).Options!.ModelId);
    }

    [Fact]
    public async Task CompleteAsync_ResponseSchema_IsSentAsTheJsonSchemaResponseFormat()
    {
        var schema = Json.Parse("""{ "type": "object", "properties": { "urgent": { "type": "boolean" } }, "required": [ "urgent" ] }""");

        await CreateSut().CompleteAsync(Request(stepId: "triage") with { ResponseSchema = schema });

        var format = Assert.IsType<ChatResponseFormatJson>(Assert.Single(_chat.Calls).Options!.ResponseFormat);
        Assert.True(format.Schema.HasValue);
        Assert.True(System.Text.Json.JsonElement.DeepEquals(schema, format.Schema.Value));
        Assert.Equal("triage", format.SchemaName);
        Assert.Contains("triage", format.SchemaDescription, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("step 1.check", "step_1_check")]
    [InlineData("ok-id_2", "ok-id_2")]
    [InlineData("", "step_output")]
    public async Task CompleteAsync_StepIdProvidersWouldReject_BecomesAValidSchemaName(string stepId, string expected)
    {
        await CreateSut().CompleteAsync(Request(stepId: stepId) with { ResponseSchema = Json.Parse("""{ "type": "object" }""") });

        var format = Assert.IsType<ChatResponseFormatJson>(Assert.Single(_chat.Calls).Options!.ResponseFormat);
        Assert.Equal(expected, format.SchemaName);
    }

    [Fact]
    public async Task CompleteAsync_LongStepId_IsCutToSixtyFourCharactersInTheSchemaName()
    {
        await CreateSut().CompleteAsync(Request(stepId: new string('a', 100)) with { ResponseSchema = Json.Parse("""{ "type": "object" }""") });

        var format = Assert.IsType<ChatResponseFormatJson>(Assert.Single(_chat.Calls).Options!.ResponseFormat);
        Assert.Equal(64, format.SchemaName!.Length);
    }

    [Fact]
    public async Task CompleteAsync_SchemaResponseFormatTurnedOff_LeavesTheResponseFormatUnset()
    {
        await CreateSut(new() { UseJsonSchemaResponseFormat = false }).CompleteAsync(Request() with { ResponseSchema = Json.Parse("""{ "type": "object" }""") });

        Assert.Null(Assert.Single(_chat.Calls).Options!.ResponseFormat);
    }

    [Fact]
    public async Task CompleteAsync_UsageAndModelOfTheReply_AreCarriedIntoTheResponse()
    {
        _chat.Respond = _ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "All quiet."))
        {
            ModelId = "gpt-test-2026-01-01",
            Usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 7, TotalTokenCount = 127 },
        };

        var response = await CreateSut().CompleteAsync(Request() with { Model = "gpt-test" });

        Assert.Equal("All quiet.", response.Text);
        Assert.Equal("gpt-test-2026-01-01", response.Model);
        Assert.Equal((120, 7), (response.InputTokens, response.OutputTokens));
    }

    [Fact]
    public async Task CompleteAsync_ReplyWithoutUsageOrModel_ReportsZeroTokensAndTheModelAskedFor()
    {
        var response = await CreateSut().CompleteAsync(Request() with { Model = "gpt-test" });

        Assert.Equal("ok", response.Text);
        Assert.Equal("gpt-test", response.Model);
        Assert.Equal((0, 0), (response.InputTokens, response.OutputTokens));
    }

    [Fact]
    public async Task CompleteAsync_UsagePastIntRange_IsClampedNotWrapped()
    {
        _chat.Respond = _ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { Usage = new UsageDetails { InputTokenCount = long.MaxValue, OutputTokenCount = -3 } };

        var response = await CreateSut().CompleteAsync(Request());

        Assert.Equal((int.MaxValue, 0), (response.InputTokens, response.OutputTokens));
    }

    [Fact]
    public async Task CompleteAsync_CancelledWhileTheChatClientWorks_PassesTheTokenAndThrows()
    {
        _chat.Gate = new TaskCompletionSource().Task; // never completes: only the cancellation ends the call
        using var cts = new CancellationTokenSource();

        var call = CreateSut().CompleteAsync(Request(), cts.Token).AsTask();
        Assert.False(call.IsCompleted);
        await cts.CancelAsync();

        // The wait bounds a broken pass-through (which would hang) to a failure: a TimeoutException is no cancellation.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(cts.Token, Assert.Single(_chat.Calls).CancellationToken);
    }

    [Fact]
    public async Task CompleteAsync_ConfigureChatOptions_SeesTheRequestAndTheMappedOptions()
    {
        var seen = new List<(string StepId, string? ModelId)>();
        var sut = CreateSut(new()
        {
            ConfigureChatOptions = (request, options) =>
            {
                seen.Add((request.StepId, options.ModelId));
                options.TopP = 0.5f;
            },
        });

        await sut.CompleteAsync(Request() with { Model = "m" });

        Assert.Equal([("summarise", "m")], seen);
        Assert.Equal(0.5f, Assert.Single(_chat.Calls).Options!.TopP);
    }

    [Fact]
    public void Constructor_NullChatClient_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new ChatClientLlmClient(null!));
}
