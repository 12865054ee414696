using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>A JSON object some of whose values hold references.</summary>
/// <param name="Properties">The members, in document order.</param>
internal sealed record ObjectTemplate(EquatableArray<TemplateProperty> Properties) : TemplateValue
{
    /// <inheritdoc />
    public override bool HasReferences => true;

    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink)
    {
        foreach (var property in Properties)
        {
            property.Value.CollectReferences(sink);
        }
    }

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var property in Properties)
        {
            writer.WritePropertyName(property.Name);
            property.Value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
