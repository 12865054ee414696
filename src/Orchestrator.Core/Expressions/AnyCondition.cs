using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary><c>{ "or": [...] }</c>: true when at least one inner condition is true.</summary>
/// <param name="Conditions">The inner conditions.</param>
internal sealed record AnyCondition(EquatableArray<Condition> Conditions) : Condition
{
    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink)
    {
        foreach (var condition in Conditions)
        {
            condition.CollectReferences(sink);
        }
    }

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartArray("or");
        foreach (var condition in Conditions)
        {
            condition.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
