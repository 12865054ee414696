using System.Text;
using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>Text with references inside it, such as <c>"Urgent: {{step2.data.decision}}"</c>: the references are rendered as text.</summary>
/// <param name="Parts">The literal and reference parts, in order.</param>
public sealed record TextTemplate(EquatableArray<TemplatePart> Parts) : TemplateValue
{
    /// <inheritdoc />
    public override bool HasReferences => true;

    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        foreach (var part in Parts)
        {
            if (part.Reference is not null)
            {
                sink.Add(part.Reference);
            }
        }
    }

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ToString());
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var part in Parts)
        {
            builder.Append(part.ToString());
        }

        return builder.ToString();
    }
}
