using System.Text.Json;
using Orchestrator.Cli.Tests.TestSupport;

namespace Orchestrator.Cli.Tests.Commands;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_StoredDocumentWithAliases_IsValidAndCountsInformationApartFromWarnings()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("v6.json", """[ { "step_id": "step1", "type": "delay", "duration": 1, "outputVariable": "waited" } ]""");

        var result = await CliRunner.RunAsync("validate", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("valid (0 errors, 0 warnings, 2 info)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("info ORC008 step 'step1' at $[0].step_id", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValidSamples_ExitsZeroAndReportsEachFileValid()
    {
        var files = new[] { CliRunner.Fixture("email-summary.json"), CliRunner.Fixture("email-summary-legacy.json"), CliRunner.Fixture("research-digest.json") };

        var result = await CliRunner.RunAsync(["validate", .. files, "--format", "json"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var entries = result.Json().GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(files, entries.Select(e => e.GetProperty("path").GetString()));
        Assert.All(entries, e =>
        {
            Assert.True(e.GetProperty("valid").GetBoolean());
            Assert.Equal(0, e.GetProperty("diagnostics").GetArrayLength());
        });
    }

    [Fact]
    public async Task Validate_InvalidSample_ExitsOneAndReportsEveryProblemWithCodeStepAndPath()
    {
        var result = await CliRunner.RunAsync("validate", CliRunner.Fixture("invalid/cycle-and-missing.json"), "--format", "json");

        Assert.Equal(1, result.ExitCode);
        var file = Assert.Single(result.Json().GetProperty("files").EnumerateArray());
        Assert.False(file.GetProperty("valid").GetBoolean());
        var diagnostics = file.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(
            ["ORC002", "ORC100", "ORC101", "ORC102", "ORC103", "ORC104", "ORC106"],
            diagnostics.Select(d => d.GetProperty("code").GetString()).Order(StringComparer.Ordinal));
        Assert.All(diagnostics, d => Assert.Equal(["code", "severity", "step", "path", "message"], d.EnumerateObject().Select(p => p.Name)));
        var cycle = diagnostics.Single(d => d.GetProperty("code").GetString() == "ORC103");
        Assert.Equal("error", cycle.GetProperty("severity").GetString());
        Assert.Equal("a", cycle.GetProperty("step").GetString());
        Assert.Equal("$.workflow_steps[0]", cycle.GetProperty("path").GetString());
        Assert.Contains("a -> b -> c -> a", cycle.GetProperty("message").GetString(), StringComparison.Ordinal);
        var ghost = diagnostics.Single(d => d.GetProperty("code").GetString() == "ORC101");
        Assert.Equal("$.workflow_steps[3].dependencies[0]", ghost.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Validate_OneInvalidAmongValid_ExitsOneAndStillReportsTheValidOnes()
    {
        var result = await CliRunner.RunAsync("validate", "--format", "json", CliRunner.Fixture("email-summary.json"), CliRunner.Fixture("invalid/cycle-and-missing.json"));

        Assert.Equal(1, result.ExitCode);
        var valid = result.Json().GetProperty("files").EnumerateArray().Select(e => e.GetProperty("valid").GetBoolean());
        Assert.Equal([true, false], valid);
    }

    [Fact]
    public async Task Validate_MissingFile_IsAnInvalidEntryWithAClearMessage()
    {
        using var temp = new TempDirectory();
        var missing = Path.Combine(temp.Path, "nope.json");

        var result = await CliRunner.RunAsync("validate", missing, CliRunner.Fixture("email-summary.json"), "--format", "json");

        Assert.Equal(1, result.ExitCode);
        var entries = result.Json().GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.False(entries[0].GetProperty("valid").GetBoolean());
        var diagnostic = Assert.Single(entries[0].GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("CLI001", diagnostic.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, diagnostic.GetProperty("step").ValueKind);
        Assert.Equal($"'{missing}' does not exist.", diagnostic.GetProperty("message").GetString());
        Assert.True(entries[1].GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Validate_Directory_IsAnInvalidEntry()
    {
        using var temp = new TempDirectory();

        var result = await CliRunner.RunAsync("validate", temp.Path, "--format", "json");

        Assert.Equal(1, result.ExitCode);
        var diagnostic = Assert.Single(result.Json().GetProperty("files")[0].GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("CLI001", diagnostic.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Validate_MalformedJson_ReportsTheParseErrorWithItsLine()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("broken.json", "{\n  \"workflow_steps\": [\n    { \"id\": \"a\", \"type\": \"delay\" \n");

        var result = await CliRunner.RunAsync("validate", path, "--format", "json");

        Assert.Equal(1, result.ExitCode);
        var diagnostic = Assert.Single(result.Json().GetProperty("files")[0].GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("ORC001", diagnostic.GetProperty("code").GetString());
        Assert.StartsWith("Malformed JSON at line", diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WarningsOnly_IsValidAndExitsZero()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("typo.json", """
            { "workflow_steps": [ { "id": "wait", "type": "delay", "duration": 10, "colour": "blue" } ] }
            """);

        var result = await CliRunner.RunAsync("validate", path, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var file = result.Json().GetProperty("files")[0];
        Assert.True(file.GetProperty("valid").GetBoolean());
        var warning = Assert.Single(file.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
        Assert.Equal("ORC006", warning.GetProperty("code").GetString());
        Assert.Equal("wait", warning.GetProperty("step").GetString());
    }

    [Fact]
    public async Task Validate_TextFormat_ListsEachFileDiagnosticsAndASummary()
    {
        var valid = CliRunner.Fixture("email-summary.json");
        var invalid = CliRunner.Fixture("invalid/cycle-and-missing.json");

        var result = await CliRunner.RunAsync("validate", valid, invalid);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"{valid}: valid (0 errors, 0 warnings)", lines[0]);
        Assert.Equal($"{invalid}: invalid (7 errors, 0 warnings)", lines[1]);
        Assert.Contains("error ORC103 step 'a' at $.workflow_steps[0]: These steps wait for each other in a cycle, so none of them can start: a -> b -> c -> a.", lines);
        Assert.Equal("2 files: 1 valid, 1 invalid", lines[^1]);
    }

    [Fact]
    public async Task Validate_NoFiles_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("validate");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("Name at least one workflow file", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MermaidFormat_IsAUsageError()
    {
        var result = await CliRunner.RunAsync("validate", CliRunner.Fixture("email-summary.json"), "--format", "mermaid");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'mermaid' is not a value of '--format'; use one of: text, json.", result.Stderr, StringComparison.Ordinal);
    }
}
