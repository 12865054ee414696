namespace Orchestrator.Core.Diagnostics;

/// <summary>One problem found while loading or planning a workflow, with where it is.</summary>
/// <param name="Code">A stable code from <see cref="DiagnosticCodes"/>, such as <c>ORC103</c>.</param>
/// <param name="Severity">Whether it stops the workflow from running.</param>
/// <param name="Message">What is wrong, for people.</param>
/// <param name="StepId">The step the problem is in, when it is in one.</param>
/// <param name="Path">The JSON path of the problem in the document, such as <c>$.workflow_steps[3].params.text</c>.</param>
public sealed record WorkflowDiagnostic(string Code, DiagnosticSeverity Severity, string Message, string? StepId, string? Path)
{
    /// <summary>Creates an error.</summary>
    /// <param name="code">The code.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="stepId">The step, if any.</param>
    /// <param name="path">The JSON path, if known.</param>
    public static WorkflowDiagnostic Error(string code, string message, string? stepId, string? path) =>
        new(code, DiagnosticSeverity.Error, message, stepId, path);

    /// <summary>Creates a warning.</summary>
    /// <param name="code">The code.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="stepId">The step, if any.</param>
    /// <param name="path">The JSON path, if known.</param>
    public static WorkflowDiagnostic Warning(string code, string message, string? stepId, string? path) =>
        new(code, DiagnosticSeverity.Warning, message, stepId, path);

    /// <summary>Creates an information diagnostic: what was understood, not a problem.</summary>
    /// <param name="code">The code.</param>
    /// <param name="message">What was understood.</param>
    /// <param name="stepId">The step, if any.</param>
    /// <param name="path">The JSON path, if known.</param>
    public static WorkflowDiagnostic Info(string code, string message, string? stepId, string? path) =>
        new(code, DiagnosticSeverity.Info, message, stepId, path);

    /// <summary>Whether this diagnostic stops the workflow from running.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <inheritdoc />
    public override string ToString()
    {
        var where = (StepId, Path) switch
        {
            (not null, not null) => $" (step '{StepId}', {Path})",
            (not null, null) => $" (step '{StepId}')",
            (null, not null) => $" ({Path})",
            _ => string.Empty,
        };
        return $"{Severity.ToString().ToLowerInvariant()} {Code}: {Message}{where}";
    }
}
