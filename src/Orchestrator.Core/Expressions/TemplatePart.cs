namespace Orchestrator.Core.Expressions;

/// <summary>One piece of a <see cref="TextTemplate"/>: literal text or a reference rendered as text.</summary>
/// <param name="Text">The literal text, when this part is text.</param>
/// <param name="Reference">The reference, when this part is a reference.</param>
internal readonly record struct TemplatePart(string? Text, ReferencePath? Reference)
{
    /// <summary>A literal text part.</summary>
    /// <param name="text">The text.</param>
    public static TemplatePart Literal(string text) => new(text, null);

    /// <summary>A reference part.</summary>
    /// <param name="reference">The reference.</param>
    public static TemplatePart Of(ReferencePath reference) => new(null, reference);

    /// <inheritdoc />
    public override string ToString() => Reference is null ? Text ?? string.Empty : "{{" + Reference + "}}";
}
