using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary><c>{ "and": [...] }</c>: true when every inner condition is true (and when there are none).</summary>
/// <param name="Conditions">The inner conditions.</param>
internal sealed record AllCondition(EquatableArray<Condition> Conditions) : Condition
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
        writer.WriteStartArray("and");
        foreach (var condition in Conditions)
        {
            condition.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
