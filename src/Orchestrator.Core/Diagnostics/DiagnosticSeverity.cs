namespace Orchestrator.Core.Diagnostics;

/// <summary>How serious a <see cref="WorkflowDiagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The workflow cannot run until this is fixed.</summary>
    Error,

    /// <summary>The workflow can run, but this is probably a mistake.</summary>
    Warning,

    /// <summary>Nothing is wrong: what the loader understood, such as a stored form it normalised (an alias, a legacy entry).</summary>
    Info,
}
