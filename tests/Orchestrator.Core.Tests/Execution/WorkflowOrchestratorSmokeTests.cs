using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution;

public class WorkflowOrchestratorSmokeTests
{
    [Fact]
    public async Task ExecuteAsync_EmailSummaryFixture_RunsEveryStepWithTheDataItReads()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("google-mail.search_emails", """{ "emails": [ { "subject": "Invoice overdue" }, { "subject": "Lunch?" } ] }""")
            .On("slack.send_message", r => PluginResult.Ok(Json.Parse($$"""{ "sent": {{r.Parameters.GetProperty("text").GetRawText()}} }""")));
        var llm = new ScriptedLlmClient()
            .When("Summarise these emails", "- Invoice overdue\n- Lunch?", 100, 20)
            .When("Is anything in this summary urgent?", "urgent", 50, 1);
        var orchestrator = new WorkflowOrchestratorBuilder(plugins, llm).Build();

        var result = await orchestrator.ExecuteAsync(
            Workflows.Load(Workflows.Fixture("email-summary.json")),
            new WorkflowExecutionRequest { UserId = "u1", Inputs = Json.Parse("""{ "channel": "#inbox" }""") });

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.All(result.Steps.Values, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        Assert.Equal("is:unread newer_than:1d", plugins.CallsTo("google-mail.search_emails").Single().Parameters.GetProperty("query").GetString());
        Assert.Contains("Invoice overdue", llm.Requests.First().Prompt, StringComparison.Ordinal);
        Assert.Equal("urgent", result.Output.GetProperty("urgency").GetString());
        Assert.True(result.Output.GetProperty("posted").GetBoolean());
        Assert.Equal(2, plugins.CallsTo("slack.send_message").Count());
        Assert.Equal(171, result.Usage.TotalTokens);
        Assert.Equal(2, result.Usage.LlmCalls);
    }
}
