using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>A JSON array some of whose elements hold references.</summary>
/// <param name="Items">The elements, in order.</param>
internal sealed record ArrayTemplate(EquatableArray<TemplateValue> Items) : TemplateValue
{
    /// <inheritdoc />
    public override bool HasReferences => true;

    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink)
    {
        foreach (var item in Items)
        {
            item.CollectReferences(sink);
        }
    }

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var item in Items)
        {
            item.WriteTo(writer);
        }

        writer.WriteEndArray();
    }
}
