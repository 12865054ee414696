namespace Orchestrator.Core.Diagnostics;

/// <summary>How serious a <see cref="WorkflowDiagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The workflow cannot run until this is fixed.</summary>
    Error,

    /// <summary>The workflow can run, but this is probably a mistake.</summary>
    Warning,

    /// <summary>Not a problem: what loading or planning understood, such as an alias read as its canonical field.</summary>
    Info,
}
