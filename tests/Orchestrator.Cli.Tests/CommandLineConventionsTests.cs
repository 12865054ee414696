using System.Text.RegularExpressions;
using Orchestrator.Cli.Tests.TestSupport;

namespace Orchestrator.Cli.Tests;

/// <summary>The conventions System.CommandLine brings: response files, option forms, completions; and validate over folders and globs.</summary>
public sealed partial class CommandLineConventionsTests
{
    [Fact]
    public async Task RunAsync_ResponseFile_ReadsTheArgumentsFromIt()
    {
        using var temp = new TempDirectory();
        var rsp = temp.Write("args.rsp", $"plan\n{CliRunner.Fixture("email-summary.json")}\n--format\nmermaid\n");

        var result = await CliRunner.RunAsync("@" + rsp);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("flowchart TD", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ColonOptionForm_IsAccepted()
    {
        var result = await CliRunner.RunAsync("plan", "--format:json", CliRunner.Fixture("email-summary.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("{", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SuggestDirective_CompletesCommandsAndFormatValues()
    {
        var commands = await CliRunner.RunAsync("[suggest]", "");
        const string line = "plan a.json --format ";
        var formats = await CliRunner.RunAsync($"[suggest:{line.Length}]", line);

        Assert.Equal(0, commands.ExitCode);
        Assert.Contains("diff", commands.Stdout.Split('\n').Select(l => l.Trim()));
        Assert.Contains("schema", commands.Stdout.Split('\n').Select(l => l.Trim()));
        Assert.Equal(["json", "mermaid", "text"], formats.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Validate_Folder_ValidatesEveryJsonFileUnderIt_WithASummary()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "flows", "nested"));
        File.Copy(CliRunner.Fixture("email-summary.json"), Path.Combine(temp.Path, "flows", "a.json"));
        File.Copy(CliRunner.Fixture("research-digest.json"), Path.Combine(temp.Path, "flows", "nested", "b.json"));
        File.Copy(CliRunner.Fixture("invalid/cycle-and-missing.json"), Path.Combine(temp.Path, "flows", "nested", "c.json"));
        temp.Write("flows/notes.txt", "not a workflow");

        var result = await CliRunner.RunAsync("validate", Path.Combine(temp.Path, "flows"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("3 files: 2 valid, 1 invalid", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("a.json: valid", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("c.json: invalid", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("notes.txt", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flows/**/*.json", 3)]
    [InlineData("flows/*.json", 1)]
    [InlineData("flows/nested/?.json", 2)]
    [InlineData("**/b.json", 1)]
    public async Task Validate_Glob_ValidatesTheFilesItMatches(string pattern, int expected)
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "flows", "nested"));
        File.Copy(CliRunner.Fixture("email-summary.json"), Path.Combine(temp.Path, "flows", "a.json"));
        File.Copy(CliRunner.Fixture("research-digest.json"), Path.Combine(temp.Path, "flows", "nested", "b.json"));
        File.Copy(CliRunner.Fixture("email-summary-legacy.json"), Path.Combine(temp.Path, "flows", "nested", "c.json"));

        var result = await CliRunner.RunAsync("validate", Path.Combine(temp.Path, pattern));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"{expected} file{(expected == 1 ? string.Empty : "s")}: {expected} valid, 0 invalid", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_PatternMatchingNothing_IsAnInvalidEntry()
    {
        using var temp = new TempDirectory();

        var result = await CliRunner.RunAsync("validate", Path.Combine(temp.Path, "*.json"), "--format", "json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("matches no file", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TimelineFormat_PrintsAMermaidGanttOfTheSteps()
    {
        using var temp = new TempDirectory();
        var workflow = temp.Write("flaky.json", """
            { "agent_name": "flaky", "workflow_steps": [
              { "id": "fetch", "type": "action", "plugin": "web", "action": "get", "retryPolicy": { "maxRetries": 2, "backoffMs": 1 } },
              { "id": "wait", "type": "delay", "duration": 5, "dependencies": ["fetch"] },
              { "id": "never", "type": "action", "plugin": "web", "action": "get", "executeIf": "{{input.go}} == true", "dependencies": ["wait"] } ] }
            """);
        var plugins = temp.Write("plugins.json", """{ "web.get": [ { "error": "timeout", "retryable": true }, { "data": { "ok": true } } ] }""");
        var inputs = temp.Write("inputs.json", """{ "go": false }""");

        var result = await CliRunner.RunAsync("run", workflow, "--plugins", plugins, "--inputs", inputs, "--format", "timeline");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(["gantt", "  title Run of flaky (succeeded)", "  dateFormat x", "  axisFormat %S.%L s", "  section Steps"], lines.Take(5));
        Assert.Matches(TaskLine("fetch \\(2 attempts\\)", "crit, done, fetch"), lines[5]);
        Assert.Matches(TaskLine("wait", "done, wait"), lines[6]);
        Assert.StartsWith("  %% never: skipped", lines[7], StringComparison.Ordinal);
        var fetch = Span(lines[5]);
        var wait = Span(lines[6]);
        Assert.True(fetch.Start == 0 && wait.Start >= fetch.End - 1 && wait.End - wait.Start >= 5, $"{fetch} then {wait}");
    }

    private static string TaskLine(string label, string tags) => $"^  {label} :{tags}, [0-9]+, [0-9]+$";

    private static (long Start, long End) Span(string line)
    {
        var match = SpanPattern().Match(line);
        return (long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(", ([0-9]+), ([0-9]+)$")]
    private static partial Regex SpanPattern();
}
