namespace Orchestrator.Cli.Commands;

/// <summary>Diagnostic codes of the tool's own, beside the library's <c>ORC</c> codes.</summary>
internal static class CliDiagnosticCodes
{
    /// <summary>The file does not exist or cannot be read.</summary>
    public const string UnreadableFile = "CLI001";
}
