using Microsoft.Extensions.AI;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;
using Orchestrator.Extensions.AI.Authoring;
using Orchestrator.Extensions.AI.Tests.TestSupport;

namespace Orchestrator.Extensions.AI.Tests.Authoring;

public sealed class WorkflowGeneratorTests
{
    private static readonly PluginDescriptor[] s_plugins =
    [
        new PluginDescriptor
        {
            Name = "google-mail",
            Description = "Gmail",
            Actions =
            [
                new PluginActionDescriptor { Name = "search_emails", Parameters = [new PluginParameterDescriptor { Name = "query", Type = "string", Required = true }] },
            ],
        },
        new PluginDescriptor
        {
            Name = "slack",
            Actions =
            [
                new PluginActionDescriptor
                {
                    Name = "send_message",
                    Description = "Posts a message",
                    Parameters = [new PluginParameterDescriptor { Name = "channel", Required = true }, new PluginParameterDescriptor { Name = "text", Required = true }],
                },
            ],
        },
    ];

    private static WorkflowGenerationRequest Request => new() { Request = "Every morning, post a summary of my unread email to #daily.", Plugins = s_plugins };

    /// <summary>A strict structured-output reply: fields unused are null, free-form values are JSON text.</summary>
    private static string Reply(string summarizeInput = "{{search.data}}", string sendAction = "send_message", string sendParams = """{\"channel\":\"#daily\",\"text\":\"{{summarize.data}}\"}""", string paramsField = "params") => $$"""
        { "id": null, "agent_name": "Daily digest", "description": null, "input_schema": null, "output_schema": null,
          "workflow_steps": [
            { "type": "action", "id": "search", "name": null, "plugin": "google-mail", "action": "search_emails", "params": "{\"query\":\"is:unread\"}", "dependencies": null },
            { "type": "ai_processing", "id": "summarize", "prompt": "\"Summarise these emails in five bullets.\"", "input": "{{summarizeInput}}", "model": null },
            { "type": "action", "id": "send", "plugin": "slack", "action": "{{sendAction}}", "{{paramsField}}": "{{sendParams}}" } ] }
        """;

    [Fact]
    public async Task GenerateAsync_FirstWorkflowPlans_ReturnsThePlanAfterOneRound()
    {
        var model = new ScriptedChatClient(Reply(), inputTokens: 900, outputTokens: 300);

        var result = await new WorkflowGenerator(model.Client).GenerateAsync(Request);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Equal(1, result.Rounds);
        Assert.Equal((900, 300, 1200), (result.InputTokens, result.OutputTokens, result.TotalTokens));
        Assert.Equal(["search", "summarize", "send"], result.Plan!.Steps.Select(s => s.Id));
        Assert.Equal("slack", Assert.IsType<ActionStep>(result.Plan.Definition.Steps[2]).Plugin);
        Assert.Contains("\"channel\":\"#daily\"", result.Document, StringComparison.Ordinal); // JSON text parsed back into params.
        Assert.Empty(model.RepairMessages);
    }

    [Fact]
    public async Task GenerateAsync_AsksUnderTheStrictSchema_WithThePluginsInThePrompt()
    {
        var model = new ScriptedChatClient(Reply());

        await new WorkflowGenerator(model.Client, new WorkflowGeneratorOptions { ModelId = "gpt-test" }).GenerateAsync(Request with { Examples = ["""{ "agent_name": "example" }"""] });

        var call = Assert.Single(model.Client.Calls);
        var format = Assert.IsType<ChatResponseFormatJson>(call.Options!.ResponseFormat);
        Assert.Equal(WorkflowSchema.StructuredOutputJson.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal), format.Schema!.Value.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal("gpt-test", call.Options.ModelId);
        var system = call.Messages[0].Text;
        Assert.Contains("- slack", system, StringComparison.Ordinal);
        Assert.Contains("- action send_message: Posts a message", system, StringComparison.Ordinal);
        Assert.Contains("- channel, required", system, StringComparison.Ordinal);
        Assert.Contains("\"agent_name\": \"example\"", system, StringComparison.Ordinal);
        Assert.Equal(Request.Request, call.LastUserText);
    }

    [Fact]
    public async Task GenerateAsync_UnknownAction_IsFixedWhenTheDiagnosticListsTheActions()
    {
        var model = new ScriptedChatClient(Reply(sendAction: "post_message"))
            .FixesWhenTold("Its actions: send_message", Reply());

        var result = await new WorkflowGenerator(model.Client).GenerateAsync(Request);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Rounds);
        var repair = Assert.Single(model.RepairMessages);
        Assert.Contains($"error {DiagnosticCodes.UnknownAction} in step 'send' at $.workflow_steps[2].action", repair, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_MissingRequiredParameter_IsFixedWhenNamed()
    {
        var model = new ScriptedChatClient(Reply(sendParams: """{\"text\":\"{{summarize.data}}\"}"""))
            .FixesWhenTold("does not pass 'channel'", Reply());

        var result = await new WorkflowGenerator(model.Client).GenerateAsync(Request);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Rounds);
        Assert.Contains(DiagnosticCodes.MissingParameter, model.RepairMessages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_MisspeltField_IsFixedWhenTheWarningSaysDidYouMean()
    {
        // 'paramz' plans with a warning only, but its values would be dropped: a missing parameter, and a field to fix.
        var model = new ScriptedChatClient(Reply(paramsField: "paramz"))
            .FixesWhenTold("did you mean 'params'?", Reply());

        var result = await new WorkflowGenerator(model.Client).GenerateAsync(Request);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Rounds);
        Assert.Contains($"{DiagnosticCodes.UnknownField} in step 'send' at $.workflow_steps[2].paramz", model.RepairMessages[0], StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);
    }

    [Fact]
    public async Task GenerateAsync_ReferenceToAMissingStep_ThenMalformedJson_BothRepaired()
    {
        var model = new ScriptedChatClient(Reply(summarizeInput: "{{serch.data}}"))
            .FixesWhenTold("no step 'serch' exists", "{ \"agent_name\": \"Daily digest\", \"workflow_steps\": [")
            .FixesWhenTold(DiagnosticCodes.MalformedJson, Reply());

        var result = await new WorkflowGenerator(model.Client).GenerateAsync(Request);

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.Rounds);
        Assert.Equal(3, model.Client.Calls.Count);

        // The conversation keeps the model's attempts and the diagnostics: system, request, then (reply, repair) per round.
        var last = model.Client.Calls.Last().Messages;
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant, ChatRole.User], last.Select(m => m.Role));
    }

    [Fact]
    public async Task GenerateAsync_NeverFixed_StopsAfterTheRepairRounds_WithTheRemainingErrors()
    {
        var model = new ScriptedChatClient(Reply(sendAction: "post_message"), inputTokens: 10, outputTokens: 5);

        var result = await new WorkflowGenerator(model.Client, new WorkflowGeneratorOptions { MaxRepairRounds = 2 }).GenerateAsync(Request);

        Assert.False(result.Succeeded);
        Assert.Null(result.Plan);
        Assert.Equal(3, result.Rounds);
        Assert.Equal(45, result.TotalTokens);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UnknownAction, "send"), (error.Code, error.StepId));
        Assert.Contains("post_message", result.Document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_WithoutStructuredOutput_ReadsAFencedJsonReply()
    {
        var plain = """
            ```json
            { "agent_name": "d", "workflow_steps": [ { "id": "wait", "type": "delay", "duration": 10 } ] }
            ```
            """;
        var model = new ScriptedChatClient(plain);

        var result = await new WorkflowGenerator(model.Client, new WorkflowGeneratorOptions { UseStructuredOutput = false }).GenerateAsync(new WorkflowGenerationRequest { Request = "wait" });

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Null(Assert.Single(model.Client.Calls).Options!.ResponseFormat);
    }

    [Fact]
    public async Task GenerateAsync_BadArguments_Throw()
    {
        var model = new ScriptedChatClient(Reply());

        Assert.Throws<ArgumentNullException>(() => new WorkflowGenerator(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkflowGenerator(model.Client, new WorkflowGeneratorOptions { MaxRepairRounds = -1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => new WorkflowGenerator(model.Client).GenerateAsync(new WorkflowGenerationRequest { Request = " " }));
    }
}
