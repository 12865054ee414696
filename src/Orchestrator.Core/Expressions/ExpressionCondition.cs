using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>A condition written as an expression string; keeps the text so that saving writes it back unchanged.</summary>
/// <param name="Text">The expression as written.</param>
/// <param name="Parsed">The parsed form the executor evaluates.</param>
internal sealed record ExpressionCondition(string Text, Condition Parsed) : Condition
{
    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink) => Parsed.CollectReferences(sink);

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Text);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
