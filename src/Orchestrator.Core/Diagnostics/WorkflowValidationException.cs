namespace Orchestrator.Core.Diagnostics;

/// <summary>A workflow could not be loaded or planned; <see cref="Diagnostics"/> lists every problem found.</summary>
public sealed class WorkflowValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkflowValidationException()
        : this("The workflow is invalid.", [])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">A summary.</param>
    public WorkflowValidationException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">A summary.</param>
    /// <param name="innerException">The cause.</param>
    public WorkflowValidationException(string message, Exception innerException)
        : base(message, innerException) => Diagnostics = [];

    /// <summary>Creates the exception with a summary and the problems found.</summary>
    /// <param name="message">A summary.</param>
    /// <param name="diagnostics">Every problem found.</param>
    public WorkflowValidationException(string message, IReadOnlyList<WorkflowDiagnostic> diagnostics)
        : base(Compose(message, diagnostics)) => Diagnostics = diagnostics;

    /// <summary>Every problem found, errors and warnings.</summary>
    public IReadOnlyList<WorkflowDiagnostic> Diagnostics { get; }

    private static string Compose(string message, IReadOnlyList<WorkflowDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var errors = diagnostics.Where(d => d.IsError).Select(d => "  " + d).ToList();
        return errors.Count == 0 ? message : message + Environment.NewLine + string.Join(Environment.NewLine, errors);
    }
}
