using System.Text.Json;
using Orchestrator.Cli.Tests.TestSupport;

namespace Orchestrator.Cli.Tests.Commands;

public sealed class PlanCommandTests
{
    [Fact]
    public async Task Plan_JsonFormat_GivesLevelsCriticalPathAndEdgesOfTheEmailAgent()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Fixture("email-summary.json"), "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var plan = result.Json();
        Assert.Equal(["levels", "critical_path", "edges", "steps"], plan.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            [["step1"], ["step2"], ["step3", "step4"], ["step5"]],
            plan.GetProperty("levels").EnumerateArray().Select(l => l.EnumerateArray().Select(s => s.GetString()!).ToArray()));
        Assert.Equal(["step1", "step2", "step3", "step5"], Strings(plan.GetProperty("critical_path")));

        // Every edge of this workflow comes from a {{step.data}} reference (step 4 reads step 2 without declaring it).
        Assert.Equal(
            ["step1->step2:reference", "step2->step3:reference", "step2->step4:reference", "step2->step5:reference", "step3->step5:reference"],
            Edges(plan).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Plan_JsonFormat_ShowsEachStepsOutputVariableAndDeclaredDataShape()
    {
        using var temp = new TempDirectory();
        var workflow = temp.Write("v6.json", """
            [ { "step_id": "step1", "type": "action", "plugin": "google-mail", "action": "search_emails", "output_variable": "candidate_emails",
                "output_schema": { "type": "object", "source": "plugin", "properties": { "emails": { "type": "array", "items": { "type": "object", "semantic_type": "email_message",
                  "properties": { "subject": { "type": "string", "description": "Email subject" } } } } } } },
              { "step_id": "step2", "type": "action", "plugin": "slack", "action": "send_message", "params": { "text": "{{candidate_emails.emails[0].subject}}" } } ]
            """);

        var result = await CliRunner.RunAsync("plan", workflow, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var steps = result.Json().GetProperty("steps");
        Assert.Equal(["step1", "step2"], steps.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var first = steps[0];
        Assert.Equal("candidate_emails", first.GetProperty("output_variable").GetString());
        var data = first.GetProperty("data");
        Assert.Equal("object", data.GetProperty("type").GetString());
        var email = data.GetProperty("properties").GetProperty("emails").GetProperty("items");
        Assert.Equal("email_message", email.GetProperty("semantic_type").GetString());
        Assert.Equal("Email subject", email.GetProperty("properties").GetProperty("subject").GetProperty("description").GetString());
        Assert.False(data.TryGetProperty("source", out _));
        Assert.False(steps[1].TryGetProperty("data", out _));
        Assert.Contains("step1->step2:reference", Edges(result.Json()));
    }

    [Fact]
    public async Task Plan_JsonFormat_NamesDeclaredReferenceAndBranchEdges()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Fixture("research-digest.json"), "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var edges = Edges(result.Json()).ToList();
        Assert.Contains("review->send_digest:declared", edges);
        Assert.Contains("count->route:reference", edges);
        Assert.Contains("route->tell_nothing:branch", edges);
        Assert.Equal(9, edges.Count);
    }

    [Fact]
    public async Task Plan_LegacyFile_RunsItsStepsStrictlyInOrder()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Fixture("email-summary-legacy.json"), "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["step1", "step2", "step3", "step4"], Strings(result.Json().GetProperty("critical_path")));
        Assert.Contains("step1->step2:declared", Edges(result.Json()));
    }

    [Fact]
    public async Task Plan_MermaidFormat_PrintsTheFlowchartWithSubgraphsAndEdgeStyles()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Fixture("research-digest.json"), "--format", "mermaid");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal("flowchart TD", lines[0]);
        Assert.Contains("subgraph n0[\"gather (scatter_gather)\"]", lines);
        Assert.Contains("n5 --> n6", lines);
        Assert.Contains("n3 -. branch .-> n4", lines);
        Assert.Contains("n0 -. data .-> n1", lines);
    }

    [Fact]
    public async Task Plan_TextFormat_ListsLevelsCriticalPathAndEdges()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Fixture("email-summary.json"));

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Plan of 'Email Summary and Notification Agent': 5 steps in 4 levels", lines[0]);
        Assert.Contains("2: step3, step4", lines);
        Assert.Contains("Critical path: step1 -> step2 -> step3 -> step5", lines);
        Assert.Contains("step2 -> step4 (reference)", lines);
    }

    [Fact]
    public async Task Plan_InvalidWorkflow_ExitsOneWithDiagnosticsOnStandardErrorOnly()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Fixture("invalid/cycle-and-missing.json"), "--format", "json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("error ORC103 step 'a' at $.workflow_steps[0]", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("cannot be planned", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_WarningsOnly_PrintsThePlanAndTheWarningsOnStandardError()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("typo.json", """
            { "workflow_steps": [ { "id": "wait", "type": "delay", "duration": 10, "colour": "blue" } ] }
            """);

        var result = await CliRunner.RunAsync("plan", path, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("[\"wait\"]", result.Json().GetProperty("critical_path").GetRawText());
        Assert.StartsWith("warning ORC006 step 'wait' at $.workflow_steps[0].colour:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_MissingFile_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("plan", "does-not-exist.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: 'does-not-exist.json' does not exist.", result.Stderr.Trim());
    }

    [Fact]
    public async Task Plan_TwoFiles_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Fixture("email-summary.json"), CliRunner.Fixture("research-digest.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Name exactly one workflow file to plan.", result.Stderr, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Edges(JsonElement plan) =>
        plan.GetProperty("edges").EnumerateArray().Select(e =>
            $"{e.GetProperty("from").GetString()}->{e.GetProperty("to").GetString()}:{e.GetProperty("kind").GetString()}");

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
