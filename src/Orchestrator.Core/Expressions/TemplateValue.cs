using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>
/// A JSON value whose strings may hold references (<c>{{step1.data.x}}</c>), parsed once when the workflow is loaded.
/// A closed union: <see cref="LiteralValue"/>, <see cref="ReferenceValue"/>, <see cref="TextTemplate"/>,
/// <see cref="ObjectTemplate"/> and <see cref="ArrayTemplate"/>.
/// </summary>
/// <remarks>
/// Parsing never runs anything: a template is data that the executor fills in from step outputs.
/// Parts of the value without references stay a single <see cref="LiteralValue"/> so they cost nothing to resolve.
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Serialization.TemplateValueJsonConverter))]
internal abstract record TemplateValue
{
    private protected TemplateValue()
    {
    }

    /// <summary>Whether the value holds at least one reference.</summary>
    public abstract bool HasReferences { get; }

    /// <summary>Parses a JSON value, turning every string that holds <c>{{ }}</c> into a template.</summary>
    /// <param name="element">The JSON value.</param>
    /// <returns>The parsed template; a <see cref="LiteralValue"/> when nothing in it is a reference.</returns>
    /// <exception cref="TemplateSyntaxException">A string holds a malformed reference.</exception>
    public static TemplateValue Parse(JsonElement element) => TemplateParser.ParseValue(element);

    /// <summary>Parses one string: plain text, exactly one reference (which keeps the value's JSON type), or text with references.</summary>
    /// <param name="text">The string.</param>
    /// <returns>The parsed template.</returns>
    /// <exception cref="TemplateSyntaxException">The string holds a malformed reference.</exception>
    public static TemplateValue Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TemplateParser.ParseString(text);
    }

    /// <summary>Adds every reference in this value to <paramref name="sink"/>, in document order.</summary>
    /// <param name="sink">The list to add to.</param>
    public abstract void CollectReferences(ICollection<ReferencePath> sink);

    /// <summary>Writes the value back in its JSON form (references as <c>{{path}}</c> strings).</summary>
    /// <param name="writer">The writer.</param>
    public abstract void WriteTo(Utf8JsonWriter writer);
}
