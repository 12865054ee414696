using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Cli.Commands;

/// <summary>What validating one file found.</summary>
/// <param name="Path">The path as given on the command line.</param>
/// <param name="Valid">Whether the file loads and plans without errors (warnings allowed).</param>
/// <param name="Diagnostics">Every problem found, loading first, then planning.</param>
internal sealed record FileValidation(string Path, bool Valid, IReadOnlyList<WorkflowDiagnostic> Diagnostics);
