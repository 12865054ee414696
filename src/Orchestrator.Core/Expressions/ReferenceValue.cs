using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>A string that is exactly one reference, such as <c>"{{step1.data.items}}"</c>: it takes the referenced value's JSON type.</summary>
/// <param name="Path">The referenced path.</param>
internal sealed record ReferenceValue(ReferencePath Path) : TemplateValue
{
    /// <inheritdoc />
    public override bool HasReferences => true;

    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        sink.Add(Path);
    }

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue("{{" + Path + "}}");
    }

    /// <inheritdoc />
    public override string ToString() => "{{" + Path + "}}";
}
