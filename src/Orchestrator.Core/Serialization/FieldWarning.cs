using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// A note found while reading one top-level step: a field loading ignores (warning <c>ORC006</c>, the default) or a
/// stored form it normalised (information <c>ORC008</c>).
/// </summary>
/// <param name="StepId">The id of the inner step the field is in; <see langword="null"/> when it is in the top-level step itself.</param>
/// <param name="Path">The field's JSON path relative to the top-level step, such as <c>.retryPolicy.maxRetry</c>.</param>
/// <param name="Message">What is ignored, with the closest known name when one is close, or what was understood.</param>
/// <param name="Code">The diagnostic code.</param>
/// <param name="Severity">The diagnostic severity.</param>
internal readonly record struct FieldWarning(
    string? StepId,
    string Path,
    string Message,
    string Code = DiagnosticCodes.UnknownField,
    DiagnosticSeverity Severity = DiagnosticSeverity.Warning);
