using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary><c>{ "not": {...} }</c>: true when the inner condition is false.</summary>
/// <param name="Inner">The negated condition.</param>
internal sealed record NotCondition(Condition Inner) : Condition
{
    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink) => Inner.CollectReferences(sink);

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("not");
        Inner.WriteTo(writer);
        writer.WriteEndObject();
    }
}
