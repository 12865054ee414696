using Orchestrator.Cli.Tests.TestSupport;

namespace Orchestrator.Cli.Tests.Commands;

public sealed class DiffCommandTests
{
    private const string Old = """
        { "agent_name": "digest", "workflow_steps": [
          { "id": "search", "type": "action", "plugin": "mail", "action": "search", "params": { "q": "is:unread" } },
          { "id": "approve", "type": "human_approval", "approvers": ["ana"], "dependencies": ["search"] },
          { "id": "send", "type": "action", "plugin": "mail", "action": "send", "params": { "body": "{{search.data}}" }, "dependencies": ["approve"] } ] }
        """;

    [Fact]
    public async Task Diff_SameWorkflow_SaysNoChangesAndUnchanged()
    {
        using var temp = new TempDirectory();
        var a = temp.Write("a.json", Old);
        var b = temp.Write("b.json", Old.Replace("[\"ana\"]", "\"ana\"", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("diff", a, b);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No changes.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("resume: unchanged", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_ChangedWorkflow_ListsStepsAndNeedsAllowDefinitionChange()
    {
        using var temp = new TempDirectory();
        var a = temp.Write("a.json", Old);
        var b = temp.Write("b.json", """
            { "agent_name": "digest", "workflow_steps": [
              { "id": "search", "type": "action", "plugin": "mail", "action": "search", "params": { "q": "is:starred" } },
              { "id": "summarise", "type": "ai_processing", "prompt": "Summarise {{search.data}}" },
              { "id": "send", "type": "action", "plugin": "mail", "action": "send", "params": { "body": "{{summarise.data}}" } } ] }
            """);

        var result = await CliRunner.RunAsync("diff", a, b);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("+ summarise", lines);
        Assert.Contains("- approve", lines);
        Assert.Contains("~ search (action): params", lines);
        Assert.Contains("~ send (action): params, dependencies", lines);
        Assert.Contains("resume: requires_allow_definition_change", lines);
        Assert.Contains(lines, l => l.Contains("removed approval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diff_JsonFormat_GivesTheVerdictAndTheChanges()
    {
        using var temp = new TempDirectory();
        var a = temp.Write("a.json", Old);
        var b = temp.Write("b.json", Old.Replace("is:unread", "is:starred", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("diff", a, b, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        Assert.Equal("requires_allow_definition_change", json.GetProperty("resume").GetProperty("verdict").GetString());
        var change = Assert.Single(json.GetProperty("changed").EnumerateArray());
        Assert.Equal("search", change.GetProperty("step_id").GetString());
        Assert.False(json.GetProperty("identical").GetBoolean());
    }

    [Fact]
    public async Task Diff_NewWorkflowThatDoesNotPlan_ExitsOneAndSaysRefused()
    {
        using var temp = new TempDirectory();
        var a = temp.Write("a.json", Old);
        var b = temp.Write("b.json", Old.Replace("[\"approve\"]", "[\"nowhere\"]", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("diff", a, b);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("resume: refused", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("nowhere", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_UnloadableOrMissingFile_ReportsItWithoutAStackTrace()
    {
        using var temp = new TempDirectory();
        var a = temp.Write("a.json", Old);
        var broken = temp.Write("broken.json", "{ \"workflow_steps\": [ { \"id\": \"x\", \"type\": \"send_fax\" } ] }");

        var unloadable = await CliRunner.RunAsync("diff", a, broken);
        var missing = await CliRunner.RunAsync("diff", a, Path.Combine(temp.Path, "nope.json"));
        var oneFile = await CliRunner.RunAsync("diff", a);

        Assert.Equal(1, unloadable.ExitCode);
        Assert.Contains("send_fax", unloadable.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, oneFile.ExitCode);
        Assert.DoesNotContain("   at ", unloadable.Stderr + missing.Stderr + oneFile.Stderr, StringComparison.Ordinal);
    }
}
