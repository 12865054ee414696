using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;
using Orchestrator.Extensions.AI.Tests.TestSupport;

namespace Orchestrator.Extensions.AI.Tests.Hosting;

public sealed class ChatClientOrchestratorBuilderExtensionsTests : IDisposable
{
    private readonly TestChatClient _chat = new();

    public void Dispose() => _chat.Dispose();

    /// <summary>These tests count the steps' own chat calls: runs are not summarised into memory (another call).</summary>
    private static void WithoutMemory(WorkflowOrchestratorOptions options) => options.Memory.Enabled = false;

    private static ServiceProvider CreateSut(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static WorkflowDefinition Load(string json)
    {
        var result = WorkflowJson.Load(json);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Definition!;
    }

    private static WorkflowExecutionRequest Request(string inputs = "{}") => new() { UserId = "u1", Inputs = Json.Parse(inputs) };

    private static readonly WorkflowDefinition s_triage = Load("""
        {
          "input_schema": [ { "name": "mail", "type": "string", "required": true } ],
          "workflow_steps": [
            { "id": "extract", "type": "ai_processing", "prompt": "Extract the sender of: {{input.mail}}", "model": "gpt-test", "temperature": 0.1,
              "outputSchema": { "type": "object", "properties": { "sender": { "type": "string" } }, "required": [ "sender" ] } },
            { "id": "urgency", "type": "llm_decision", "prompt": "Is a mail from {{extract.data.sender}} urgent?", "options": [ "urgent", "routine" ],
              "dependencies": [ "extract" ] }
          ],
          "output_schema": [
            { "name": "sender", "source": "extract.data.sender" },
            { "name": "urgency", "source": "urgency.data.decision" }
          ]
        }
        """);

    private static ChatResponse Reply(string text, long input, long output, string model = "gpt-test-1") =>
        new(new ChatMessage(ChatRole.Assistant, text)) { ModelId = model, Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output } };

    private ChatResponse Triage(ChatCall call) => call.LastUserText switch
    {
        var t when t.StartsWith("Extract the sender", StringComparison.Ordinal) => Reply("""{ "sender": "boss@example.com" }""", 40, 9),
        var t when t.StartsWith("Is a mail from boss@example.com urgent?", StringComparison.Ordinal) => Reply("Urgent.", 30, 2),
        var t => throw new InvalidOperationException("Unexpected prompt: " + t),
    };

    [Fact]
    public async Task AddChatClient_Instance_RunsAWorkflowsLlmStepsAndCountsTheirUsage()
    {
        _chat.Respond = Triage;
        using var provider = CreateSut(s => s.AddWorkflowOrchestrator(WithoutMemory).AddChatClient(_chat));

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(s_triage, Request("""{ "mail": "From: boss@example.com" }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("boss@example.com", result.Output.GetProperty("sender").GetString());
        Assert.Equal("urgent", result.Output.GetProperty("urgency").GetString());
        Assert.Equal(new ExecutionUsage(70, 11, 2) { Credits = 1 }, result.Usage);
        Assert.Equal("gpt-test-1", result.Steps["extract"].Model);
        Assert.Equal(49, result.Steps["extract"].TokensUsed);

        // The extract step's outputSchema went to the provider as its structured-output format.
        var extract = _chat.Calls.Single(c => c.LastUserText.StartsWith("Extract", StringComparison.Ordinal));
        var format = Assert.IsType<ChatResponseFormatJson>(extract.Options!.ResponseFormat);
        Assert.Equal("extract", format.SchemaName);
        Assert.Equal(("gpt-test", 0.1f), (extract.Options.ModelId, extract.Options.Temperature));
    }

    [Fact]
    public async Task AddChatClient_ChatClientFails_TheStepFailsWithTheOrchestratorsLlmError()
    {
        _chat.Respond = _ => throw new HttpRequestException("provider down");
        using var provider = CreateSut(s => s.AddWorkflowOrchestrator(WithoutMemory).AddChatClient(_chat));

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(s_triage, Request("""{ "mail": "x" }"""));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("LLM_EXCEPTION", result.Steps["extract"].ErrorCode);
        Assert.Contains("provider down", result.Steps["extract"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddChatClient_FromTheContainer_GoesThroughTheHostsPipeline()
    {
        var seenByMiddleware = new ConcurrentQueue<string?>();
        using var provider = CreateSut(s =>
        {
            s.AddChatClient(_chat)
                .ConfigureOptions(o => (o.AdditionalProperties ??= [])["tenant"] = "acme")
                .Use(async (messages, options, next, cancellationToken) =>
                {
                    seenByMiddleware.Enqueue(options?.ModelId);
                    await next(messages, options, cancellationToken).ConfigureAwait(false);
                });
            s.AddWorkflowOrchestrator(WithoutMemory).AddChatClient(o => o.DefaultModel = "house-model");
        });

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(
            Load("""[ { "id": "think", "type": "ai_processing", "prompt": "Summarise the day" } ]"""), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["house-model"], seenByMiddleware);
        Assert.Equal("acme", Assert.Single(_chat.Calls).Options!.AdditionalProperties!["tenant"]);
    }

    [Fact]
    public async Task AddChatClient_PipelineWithFunctionInvocation_AnswersAfterTheToolRoundTripWithTheSummedUsage()
    {
        // The model first asks for a tool; M.E.AI's FunctionInvokingChatClient runs it and asks again with the result.
        var calendarCalls = 0;
        var calendar = AIFunctionFactory.Create(() => { calendarCalls++; return "2 meetings"; }, "get_calendar");
        _chat.Respond = call => call.Messages.Any(m => m.Contents.OfType<FunctionResultContent>().Any())
            ? Reply("You have 2 meetings today.", 50, 8)
            : new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "get_calendar")]))
            {
                ModelId = "gpt-test-1",
                Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 4 },
            };
        using var provider = CreateSut(s =>
        {
            s.AddChatClient(_chat).UseFunctionInvocation();
            s.AddWorkflowOrchestrator(WithoutMemory).AddChatClient(o => o.ConfigureChatOptions = (_, chatOptions) => chatOptions.Tools = [calendar]);
        });

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(
            Load("""[ { "id": "plan", "type": "ai_processing", "prompt": "What is on today?" } ]"""), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("You have 2 meetings today.", result.Steps["plan"].Data.GetProperty("decision").GetString());
        Assert.Equal(1, calendarCalls);
        Assert.Equal(2, _chat.Calls.Count);
        Assert.Equal(new ExecutionUsage(70, 12, 1) { Credits = 1 }, result.Usage);
    }

    [Fact]
    public async Task AddChatClient_Factory_CreatesTheChatClientFromTheContainer()
    {
        using var provider = CreateSut(s =>
        {
            s.AddSingleton(_chat);
            s.AddWorkflowOrchestrator(WithoutMemory).AddChatClient(sp => sp.GetRequiredService<TestChatClient>());
        });

        var llm = provider.GetRequiredService<ILlmClient>();
        var response = await llm.CompleteAsync(new LlmRequest { ExecutionId = "e", StepId = "s", Prompt = "hi" });

        Assert.IsType<ChatClientLlmClient>(llm);
        Assert.Equal("ok", response.Text);
        Assert.Single(_chat.Calls);
    }

    [Fact]
    public async Task AddKeyedChatClient_UsesTheChatClientRegisteredUnderTheKey()
    {
        using var other = new TestChatClient();
        using var provider = CreateSut(s =>
        {
            s.AddChatClient(other);
            s.AddKeyedChatClient("workflows", _chat);
            s.AddWorkflowOrchestrator(WithoutMemory).AddKeyedChatClient("workflows");
        });

        await provider.GetRequiredService<ILlmClient>().CompleteAsync(new LlmRequest { ExecutionId = "e", StepId = "s", Prompt = "hi" });

        Assert.Single(_chat.Calls);
        Assert.Empty(other.Calls);
    }

    [Fact]
    public void AddChatClient_CalledAfterAnotherLlmClient_ReplacesIt()
    {
        using var provider = CreateSut(s => s.AddWorkflowOrchestrator(WithoutMemory).AddLlmClient(_ => new NeverLlmClient()).AddChatClient(_chat));

        Assert.IsType<ChatClientLlmClient>(provider.GetRequiredService<ILlmClient>());
        Assert.Single(provider.GetServices<ILlmClient>());
    }

    [Fact]
    public void AddChatClient_NoChatClientInTheContainer_FailsWhenTheLlmClientIsResolved()
    {
        using var provider = CreateSut(s => s.AddWorkflowOrchestrator(WithoutMemory).AddChatClient());

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ILlmClient>());
        Assert.Contains(nameof(IChatClient), error.Message, StringComparison.Ordinal);
    }

    private sealed class NeverLlmClient : ILlmClient
    {
        public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("not this one");
    }
}
