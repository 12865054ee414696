using Orchestrator.Cli.Tests.TestSupport;

namespace Orchestrator.Cli.Tests;

public sealed class CliApplicationTests
{
    [Fact]
    public async Task RunAsync_NoArguments_PrintsUsageToStandardErrorAndExitsTwo()
    {
        var result = await CliRunner.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("orchestrator validate FILE... [--format text|json]", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Help_ListsEveryCommandAndExitsZero()
    {
        var result = await CliRunner.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("orchestrator validate FILE... [--format text|json]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("orchestrator plan FILE [--format text|json|mermaid]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("orchestrator run FILE [--inputs FILE] [--config FILE] [--plugins FILE] [--llm FILE] [--format text|json|timeline]", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate", "--format FORMAT")]
    [InlineData("plan", "--format FORMAT")]
    [InlineData("run", "--plugins FILE")]
    public async Task RunAsync_CommandHelp_PrintsItsOptionsAndRunsNothing(string command, string option)
    {
        // --help wins over everything else on the line, even a file that does not exist.
        var result = await CliRunner.RunAsync(command, "missing.json", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Usage: orchestrator " + command, result.Stdout, StringComparison.Ordinal);
        Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "lint", "a.json" }, "Unknown command 'lint'")]
    // System.CommandLine's wording (issue 15 moved parsing to it): conventional, and still exit 2 with a pointer to --help.
    [InlineData(new[] { "plan", "a.json", "--verbose" }, "error: Unrecognized command or argument '--verbose'.")]
    [InlineData(new[] { "plan", "a.json", "-v" }, "error: Unrecognized command or argument '-v'.")]
    [InlineData(new[] { "plan", "a.json", "--format" }, "error: Required argument missing for option: '--format'.")]
    [InlineData(new[] { "plan", "a.json", "--format", "json", "--format=text" }, "error: Option '--format' expects a single argument but 2 were provided.")]
    [InlineData(new[] { "run", "a.json", "--format", "mermaid" }, "'mermaid' is not a value of '--format'; use one of: text, json, timeline.")]
    public async Task RunAsync_BadArguments_ExitTwoWithTheReasonOnStandardError(string[] args, string expected)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OptionWithEqualsSign_IsAccepted()
    {
        var result = await CliRunner.RunAsync("plan", "--format=mermaid", CliRunner.Fixture("email-summary.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("flowchart TD", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Version_PrintsThePackageVersion()
    {
        var result = await CliRunner.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.1.0", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeTheFilesAreRead_ExitsOneSayingSo()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await CliApplication.RunAsync(["run", CliRunner.Fixture("email-summary.json")], stdout, stderr, new CancellationToken(canceled: true));

        Assert.Equal(1, exitCode);
        Assert.Equal("error: cancelled.", stderr.ToString().Trim());
    }
}
