using System.Text.Json;

namespace Orchestrator.Cli.Tests.TestSupport;

/// <summary>What one invocation of the tool produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Parses standard output as the JSON document the command printed.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }
}
