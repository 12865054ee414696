using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Cli.Tests.TestSupport;

namespace Orchestrator.Cli.Tests;

/// <summary>The one test that starts the built tool as a process: the real Main, its exit code and its standard output.</summary>
public sealed class ProcessEntryPointTests
{
    [Fact]
    public async Task Main_ValidateAsAProcess_ExitsOneAndPrintsTheJsonReport()
    {
        var tool = typeof(CliApplication).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { tool, "validate", CliRunner.Fixture("email-summary.json"), CliRunner.Fixture("invalid/cycle-and-missing.json"), "--format", "json" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // A guard against a hung process, not a performance limit.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(guard.Token);

        Assert.Equal(string.Empty, await stderr);
        Assert.Equal(1, process.ExitCode);
        using var report = JsonDocument.Parse(await stdout);
        var valid = report.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("valid").GetBoolean());
        Assert.Equal([true, false], valid);
    }
}
