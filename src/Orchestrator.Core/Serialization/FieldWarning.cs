namespace Orchestrator.Core.Serialization;

/// <summary>A field loading ignores (warning <c>ORC006</c>) or reads under another name (information), found while reading one top-level step.</summary>
/// <param name="StepId">The id of the inner step the field is in; <see langword="null"/> when it is in the top-level step itself.</param>
/// <param name="Path">The field's JSON path relative to the top-level step, such as <c>.retryPolicy.maxRetry</c>.</param>
/// <param name="Message">What is ignored, with the closest known name when one is close.</param>
internal readonly record struct FieldWarning(string? StepId, string Path, string Message)
{
    /// <summary>The diagnostic code; <c>ORC006</c> unless set.</summary>
    public string Code { get; init; } = Diagnostics.DiagnosticCodes.UnknownField;

    /// <summary>The diagnostic severity; a warning unless set.</summary>
    public Diagnostics.DiagnosticSeverity Severity { get; init; } = Diagnostics.DiagnosticSeverity.Warning;
}
