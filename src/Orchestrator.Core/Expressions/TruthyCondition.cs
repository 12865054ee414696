using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>
/// A bare value used as a condition in an expression (<c>{{step1.data.ok}}</c>, <c>true</c>): true unless the value is
/// <c>false</c>, <c>null</c>, missing, zero or an empty string.
/// </summary>
/// <param name="Operand">The value tested.</param>
internal sealed record TruthyCondition(TemplateValue Operand) : Condition
{
    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink) => Operand.CollectReferences(sink);

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Operand is LiteralValue { Value.ValueKind: JsonValueKind.True or JsonValueKind.False } boolean)
        {
            // A JSON true/false condition is read back as this same condition.
            boolean.WriteTo(writer);
            return;
        }

        // Only the expression form can say "this value is truthy", so it is written as one.
        writer.WriteStringValue(Operand is LiteralValue literal ? literal.Value.GetRawText() : Operand.ToString());
    }
}
