using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class BranchHandlerTests
{
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor()
        .On("t.a", """{ "ran": "a" }""")
        .On("t.b", """{ "ran": "b" }""")
        .On("t.c", """{ "ran": "c" }""");

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).Build();

    [Theory]
    [InlineData(5, true)]
    [InlineData(1, false)]
    public async Task Conditional_WithoutBranches_DataIsResultForLaterExecuteIf(int level, bool expected)
    {
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "level", "type": "number" } ],
              "workflow_steps": [
                { "id": "check", "type": "conditional", "condition": { "field": "input.level", "operator": ">", "value": 2 } },
                { "id": "a", "type": "action", "plugin": "t", "action": "a", "executeIf": "{{check.data.result}} == true" },
                { "id": "b", "type": "action", "plugin": "t", "action": "b", "dependencies": ["a"] }
              ]
            }
            """,
            $$"""{ "level": {{level}} }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal($$"""{"result":{{(expected ? "true" : "false")}}}""", result.Steps["check"].Data.Text());
        Assert.Equal(expected ? StepStatus.Succeeded : StepStatus.Skipped, result.Steps["a"].Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["b"].Status);
    }

    [Theory]
    [InlineData("yes", "a", "b")]
    [InlineData("no", "b", "a")]
    public async Task Conditional_WithBranches_RunsTheTakenBranchAndSkipsTheOther(string answer, string taken, string skipped)
    {
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "answer", "type": "string" } ],
              "workflow_steps": [
                { "id": "check", "type": "conditional", "condition": "input.answer == 'yes'", "trueBranch": "a", "falseBranch": ["b"] },
                { "id": "a", "type": "action", "plugin": "t", "action": "a" },
                { "id": "b", "type": "action", "plugin": "t", "action": "b" },
                { "id": "after_b", "type": "action", "plugin": "t", "action": "c", "dependencies": ["b"] }
              ]
            }
            """,
            $$"""{ "answer": "{{answer}}" }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps[taken].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps[skipped].Status);
        Assert.Contains("not taken", result.Steps[skipped].SkipReason, StringComparison.Ordinal);
        Assert.Empty(_plugins.CallsTo("t." + skipped));
        Assert.Equal(taken == "b" ? StepStatus.Succeeded : StepStatus.Skipped, result.Steps["after_b"].Status);
    }

    private const string SwitchWorkflow = """
        {
          "input_schema": [ { "name": "v", "type": "any" } ],
          "workflow_steps": [
            { "id": "route", "type": "switch", "evaluate": "{{input.v}}", "cases": { "high": ["a"], "0": ["b"] }, "default": ["c"] },
            { "id": "a", "type": "action", "plugin": "t", "action": "a" },
            { "id": "b", "type": "action", "plugin": "t", "action": "b" },
            { "id": "c", "type": "action", "plugin": "t", "action": "c" }
          ]
        }
        """;

    [Theory]
    [InlineData("\"high\"", "a", "high")]
    [InlineData("0", "b", "0")]
    [InlineData("0.0", "b", "0")]
    [InlineData("\"0\"", "b", "0")]
    [InlineData("\"low\"", "c", null)]
    [InlineData("7", "c", null)]
    public async Task Switch_Value_RunsTheMatchingCaseOrDefault(string value, string runs, string? matchedCase)
    {
        var result = await CreateSut().RunAsync(SwitchWorkflow, $$"""{ "v": {{value}} }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        foreach (var id in new[] { "a", "b", "c" })
        {
            Assert.Equal(id == runs ? StepStatus.Succeeded : StepStatus.Skipped, result.Steps[id].Status);
        }

        var data = result.Steps["route"].Data;
        Assert.Equal(matchedCase, data.GetProperty("case").GetString());
        Assert.Equal(runs, data.GetProperty("targets")[0].GetString());
    }
}
