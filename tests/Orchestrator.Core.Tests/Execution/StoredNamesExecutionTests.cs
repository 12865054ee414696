using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution;

/// <summary>What the names of stored documents read at run time: output variables, inputs, config, sub-workflow inputs.</summary>
public class StoredNamesExecutionTests
{
    private static ScriptedPluginExecutor Echo() => new ScriptedPluginExecutor()
        .On("mail.search", """{ "emails": [ { "subject": "Invoice overdue" }, { "subject": "Lunch?" } ], "total": 2 }""")
        .On("chat.send", r => PluginResult.Ok(r.Parameters));

    private static async Task<(WorkflowExecutionResult Result, ScriptedPluginExecutor Plugins)> RunAsync(string json, string inputs = "{}", string? config = null)
    {
        var plugins = Echo();
        var orchestrator = new WorkflowOrchestratorBuilder(plugins, new ScriptedLlmClient()).Build();
        var result = await orchestrator.ExecuteAsync(
            Workflows.Load(json),
            new WorkflowExecutionRequest { UserId = "u1", Inputs = Json.Parse(inputs), Config = config is null ? default : Json.Parse(config) });
        Assert.True(result.Status == ExecutionStatus.Succeeded, result.Error);
        return (result, plugins);
    }

    private static string SentText(ScriptedPluginExecutor plugins) =>
        plugins.CallsTo("chat.send").Single().Parameters.GetProperty("text").ToString();

    [Fact]
    public async Task ExecuteAsync_OutputVariableReference_ReadsTheProducingStepsData()
    {
        var (_, plugins) = await RunAsync("""
            [ { "step_id": "step1", "type": "action", "plugin": "mail", "action": "search", "output_variable": "candidate_emails" },
              { "step_id": "step2", "type": "action", "plugin": "chat", "action": "send",
                "params": { "text": "{{candidate_emails.emails[0].subject}} ({{candidate_emails.total}})" } } ]
            """);

        Assert.Equal("Invoice overdue (2)", SentText(plugins));
    }

    [Fact]
    public async Task ExecuteAsync_StepThatRebindsAName_ReadsTheEarlierValueAndLaterStepsReadItsOwn()
    {
        var (_, plugins) = await RunAsync("""
            [ { "step_id": "step1", "type": "action", "plugin": "mail", "action": "search", "output_variable": "found" },
              { "step_id": "step2", "type": "transform", "operation": "set", "input": "{{found.emails}}", "output_variable": "found" },
              { "step_id": "step3", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "{{found[1].subject}}" } } ]
            """);

        Assert.Equal("Lunch?", SentText(plugins));
    }

    [Theory]
    [InlineData(1, "from yes")]
    [InlineData(-1, "from no")]
    public async Task ExecuteAsync_ExclusiveBranchesWritingOneName_TheReaderGetsTheBranchThatRan(int n, string expected)
    {
        var (_, plugins) = await RunAsync(
            """
            [ { "id": "check", "type": "conditional", "condition": { "field": "input.n", "operator": "greater_than", "value": 0 },
                "trueBranch": ["yes"], "falseBranch": ["no"] },
              { "id": "yes", "type": "transform", "operation": "set", "input": "{{input.a}}", "output_variable": "answer" },
              { "id": "no", "type": "transform", "operation": "set", "input": "{{input.b}}", "output_variable": "answer" },
              { "id": "post", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "{{answer}}" } } ]
            """,
            inputs: $$"""{ "n": {{n}}, "a": "from yes", "b": "from no" }""");

        Assert.Equal(expected, SentText(plugins));
    }

    [Fact]
    public async Task ExecuteAsync_StepFieldThatIsNotDataOrMetadata_ReadsTheStepsData()
    {
        var (_, plugins) = await RunAsync("""
            [ { "id": "search", "type": "action", "plugin": "mail", "action": "search" },
              { "id": "post", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "{{search.emails[1].subject}}" } } ]
            """);

        Assert.Equal("Lunch?", SentText(plugins));
    }

    [Fact]
    public async Task ExecuteAsync_InputsAliasAndConfig_ReadTheInputsAndTheRequestsConfiguration()
    {
        var (_, plugins) = await RunAsync(
            """[ { "id": "post", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "{{inputs.who}} -> {{config.sheet_tab_name}}" } } ]""",
            inputs: """{ "who": "ana" }""",
            config: """{ "sheet_tab_name": "Complaints" }""");

        Assert.Equal("ana -> Complaints", SentText(plugins));
    }

    [Fact]
    public async Task ExecuteAsync_ConfigNotGiven_ReadsNothingAndDoesNotFail()
    {
        var (_, plugins) = await RunAsync("""[ { "id": "post", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "[{{config.missing}}]" } } ]""");

        Assert.Equal("[]", SentText(plugins));
    }

    [Fact]
    public async Task ExecuteAsync_OutputVariableInsideAScatter_NamesTheCurrentItemsData()
    {
        var (_, plugins) = await RunAsync("""
            [ { "id": "search", "type": "action", "plugin": "mail", "action": "search", "output_variable": "found" },
              { "id": "each", "type": "scatter_gather",
                "scatter": { "input": "{{found.emails}}", "itemVariable": "email",
                  "steps": [ { "id": "echo", "type": "action", "plugin": "chat", "action": "send", "params": { "subject": "{{email.subject}}" }, "output_variable": "echoed" },
                             { "id": "send", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "re: {{echoed.subject}}" } } ] } } ]
            """);

        var texts = plugins.CallsTo("chat.send").Select(c => c.Parameters.TryGetProperty("text", out var text) ? text.GetString() : null).Where(t => t is not null).Order(StringComparer.Ordinal);
        Assert.Equal(["re: Invoice overdue", "re: Lunch?"], texts);
    }

    [Fact]
    public async Task ExecuteAsync_SubWorkflowStep_ReadsItsInputsByBareNameAndAsInput()
    {
        var (_, plugins) = await RunAsync("""
            [ { "id": "call", "type": "sub_workflow", "inputs": { "order_id": "42" },
                "workflowSteps": [ { "id": "inner", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "{{order_id}}/{{input.order_id}}" } } ] } ]
            """);

        Assert.Equal("42/42", SentText(plugins));
    }
}
