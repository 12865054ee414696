using System.Text.Json;
using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// A problem found while reading a workflow document, with its <see cref="DiagnosticCodes">diagnostic code</see>.
/// Derives from <see cref="JsonException"/> so the serializer adds the JSON path on its way out.
/// </summary>
public sealed class WorkflowJsonException : JsonException
{
    /// <summary>Creates the exception.</summary>
    public WorkflowJsonException()
        : this(DiagnosticCodes.InvalidValue, "The workflow document is invalid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public WorkflowJsonException(string message)
        : this(DiagnosticCodes.InvalidValue, message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WorkflowJsonException(string message, Exception innerException)
        : this(DiagnosticCodes.InvalidValue, message, innerException)
    {
    }

    /// <summary>Creates the exception with a diagnostic code, a message and optionally its cause.</summary>
    /// <param name="code">The diagnostic code.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public WorkflowJsonException(string code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    /// <summary>The diagnostic code, from <see cref="DiagnosticCodes"/>.</summary>
    public string Code { get; }

    /// <summary>
    /// Where inside the value being read the problem is, relative to <see cref="JsonException.Path"/>
    /// (for example <c>[2].params</c> for the third step of a nested list); empty when it is the value itself.
    /// </summary>
    public string InnerPath { get; init; } = string.Empty;

    /// <summary>Joins a JSON path with the path inside the value the exception came from.</summary>
    /// <param name="basePath">The path of the value that was read, such as <c>$.workflow_steps[6]</c>.</param>
    /// <param name="exception">The exception thrown while reading it.</param>
    /// <returns>The full path of the problem.</returns>
    internal static string Locate(string basePath, JsonException exception)
    {
        var relative = exception.Path is { Length: > 1 } p && p[0] == '$' ? p[1..] : string.Empty;
        var inner = exception is WorkflowJsonException known ? known.InnerPath : string.Empty;
        return basePath + relative + inner;
    }
}
