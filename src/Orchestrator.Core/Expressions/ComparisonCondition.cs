using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>Compares a value (usually a reference) with another, such as <c>step1.data.count &gt; 0</c>.</summary>
/// <param name="Left">The value compared: a <see cref="ReferenceValue"/> in the object form.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Right">The value compared against; <see langword="null"/> for operators that take none (<c>exists</c>, <c>is_empty</c>, ...).</param>
internal sealed record ComparisonCondition(TemplateValue Left, ConditionOperator Operator, TemplateValue? Right) : Condition
{
    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink)
    {
        Left.CollectReferences(sink);
        Right?.CollectReferences(sink);
    }

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("field");
        if (Left is ReferenceValue reference)
        {
            writer.WriteStringValue(reference.Path.ToString());
        }
        else
        {
            Left.WriteTo(writer);
        }

        writer.WriteString("operator", ConditionOperatorNames.ToName(Operator));
        if (Right is not null)
        {
            writer.WritePropertyName("value");
            Right.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
