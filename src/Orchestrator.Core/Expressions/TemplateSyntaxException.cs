namespace Orchestrator.Core.Expressions;

/// <summary>A template, reference or condition expression could not be parsed.</summary>
internal sealed class TemplateSyntaxException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public TemplateSyntaxException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public TemplateSyntaxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TemplateSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a message and the character position of the problem.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="position">The zero-based character position in the text.</param>
    public TemplateSyntaxException(string message, int position)
        : base(message) => Position = position;

    /// <summary>The zero-based character position of the problem in the parsed text, or -1 when unknown.</summary>
    public int Position { get; } = -1;
}
