using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class SkippingTests
{
    [Fact]
    public async Task ExecuteAsync_ExecuteIfFalse_SkipsWithReasonAndDependentsRunReadingNull()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", """{ "x": 1 }""").On("p.echo", r => PluginResult.Ok(r.Parameters));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            { "input_schema": [ { "name": "level", "type": "number", "required": true } ],
              "workflow_steps": [
                { "id": "maybe", "type": "action", "plugin": "p", "action": "ok", "executeIf": "{{input.level}} > 2" },
                { "id": "after", "type": "action", "plugin": "p", "action": "echo", "params": { "x": "{{maybe.data.x}}", "whole": "{{maybe.data}}" } } ] }
            """), RuntimeTestKit.Request("""{ "level": 1 }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["maybe"].Status);
        Assert.Contains("executeIf", result.Steps["maybe"].SkipReason, StringComparison.Ordinal);
        Assert.Empty(plugins.CallsTo("p.ok"));
        Assert.Equal(StepStatus.Succeeded, result.Steps["after"].Status);
        Assert.Equal(JsonValueKind.Null, result.Steps["after"].Data.GetProperty("x").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.Steps["after"].Data.GetProperty("whole").ValueKind);
    }

    [Fact]
    public async Task ExecuteAsync_ConditionalBranchNotTaken_SkipsItsTargetsAndEverythingOnlyDownstreamOfThem()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            { "input_schema": [ { "name": "vip", "type": "boolean", "required": true } ],
              "workflow_steps": [
                { "id": "check", "type": "conditional", "condition": { "field": "input.vip", "operator": "==", "value": true },
                  "trueBranch": "greet_vip", "falseBranch": ["greet_normal"] },
                { "id": "greet_vip", "type": "action", "plugin": "p", "action": "ok" },
                { "id": "greet_normal", "type": "action", "plugin": "p", "action": "ok" },
                { "id": "normal_followup", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["greet_normal"] },
                { "id": "normal_followup2", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["normal_followup"] },
                { "id": "join", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["greet_vip", "greet_normal"] },
                { "id": "tail", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["join", "normal_followup2"] } ] }
            """), RuntimeTestKit.Request("""{ "vip": true }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["greet_vip"].Status);
        foreach (var id in new[] { "greet_normal", "normal_followup", "normal_followup2" })
        {
            Assert.Equal(StepStatus.Skipped, result.Steps[id].Status);
            Assert.False(string.IsNullOrEmpty(result.Steps[id].SkipReason));
        }

        Assert.Contains("not taken", result.Steps["greet_normal"].SkipReason, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Succeeded, result.Steps["join"].Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["tail"].Status);
        Assert.Equal(["greet_vip", "join", "tail"], plugins.Calls.Select(c => c.StepId));
    }

    [Fact]
    public async Task ExecuteAsync_SwitchCase_RunsOnlyTheChosenCaseAndSkipsWorkDownstreamOfOthers()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            { "input_schema": [ { "name": "kind", "type": "string", "required": true } ],
              "workflow_steps": [
                { "id": "route", "type": "switch", "evaluate": "{{input.kind}}", "cases": { "bug": ["file_bug"], "question": ["answer"] }, "default": ["triage"] },
                { "id": "file_bug", "type": "action", "plugin": "p", "action": "ok" },
                { "id": "answer", "type": "action", "plugin": "p", "action": "ok" },
                { "id": "answer_followup", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["answer"] },
                { "id": "triage", "type": "action", "plugin": "p", "action": "ok" },
                { "id": "triage_followup", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["triage"] } ] }
            """), RuntimeTestKit.Request("""{ "kind": "bug" }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["file_bug"], plugins.Calls.Select(c => c.StepId));
        foreach (var id in new[] { "answer", "answer_followup", "triage", "triage_followup" })
        {
            Assert.Equal(StepStatus.Skipped, result.Steps[id].Status);
        }
    }

    [Fact]
    public async Task ExecuteAsync_ResearchDigestWithNoTopics_TakesTheZeroCaseAndSkipsTheDigest()
    {
        var plugins = new ScriptedPluginExecutor().On("email.send", r => PluginResult.Ok(r.Parameters));
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(
            Workflows.Load(Workflows.Fixture("research-digest.json")),
            RuntimeTestKit.Request("""{ "topics": [], "recipient": "ada@example.org" }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["tell_nothing"].Status);
        Assert.Equal("No news today", plugins.CallsTo("email.send").Single().Parameters.GetProperty("subject").GetString());
        Assert.Equal(StepStatus.Skipped, result.Steps["review"].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["send_digest"].Status);
        Assert.Equal(0, result.Output.GetProperty("sent_topics").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_ResearchDigestWithFewTopics_TakesTheDefaultSkipsReviewByExecuteIfAndSends()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("web.search", r => PluginResult.Ok(Json.Parse($$"""{ "results": ["{{r.Parameters.GetProperty("q").GetString()}} news"] }""")))
            .On("email.send", r => PluginResult.Ok(r.Parameters));
        var llm = new ScriptedLlmClient().When("Write three sentences", "Three sentences.");
        var result = await RuntimeTestKit.CreateSut(plugins, llm: llm).ExecuteAsync(
            Workflows.Load(Workflows.Fixture("research-digest.json")),
            RuntimeTestKit.Request("""{ "topics": ["rust", "dotnet"], "recipient": "ada@example.org" }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["tell_nothing"].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["review"].Status);
        Assert.Contains("executeIf", result.Steps["review"].SkipReason, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Succeeded, result.Steps["send_digest"].Status);
        Assert.Equal("Your research digest", plugins.CallsTo("email.send").Single().Parameters.GetProperty("subject").GetString());
        Assert.Equal(2, result.Output.GetProperty("sent_topics").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_ConditionalWithoutBranches_FeedsExecuteIfOfLaterSteps()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            { "input_schema": [ { "name": "count", "type": "number", "required": true } ],
              "workflow_steps": [
                { "id": "many", "type": "conditional", "condition": { "field": "input.count", "operator": ">", "value": 10 } },
                { "id": "bulk", "type": "action", "plugin": "p", "action": "ok", "executeIf": "{{many.data.result}} == true" },
                { "id": "single", "type": "action", "plugin": "p", "action": "ok", "executeIf": { "not": { "field": "many.data.result", "operator": "==", "value": true } } } ] }
            """), RuntimeTestKit.Request("""{ "count": 3 }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.False(result.Steps["many"].Data.GetProperty("result").GetBoolean());
        Assert.Equal(StepStatus.Skipped, result.Steps["bulk"].Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["single"].Status);
    }

    [Fact]
    public async Task ExecuteAsync_ExecuteIfOnAFailedStepsSuccess_RunsTheCompensatingStep()
    {
        var plugins = new ScriptedPluginExecutor().On("p.bad", _ => PluginResult.Fail("no", "NO")).On("p.alert", "{}").On("p.ok", "{}");
        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "try", "type": "action", "plugin": "p", "action": "bad", "continueOnError": true },
              { "id": "alert", "type": "action", "plugin": "p", "action": "alert", "executeIf": "!{{try.metadata.success}}" },
              { "id": "celebrate", "type": "action", "plugin": "p", "action": "ok", "executeIf": "{{try.metadata.success}}" } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["alert"].Status);
        Assert.Equal(StepStatus.Skipped, result.Steps["celebrate"].Status);
    }
}
