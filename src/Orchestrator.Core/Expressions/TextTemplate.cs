using System.Text;
using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>Text with references inside it, such as <c>"Urgent: {{step2.data.decision}}"</c>: the references are rendered as text.</summary>
/// <param name="Parts">The literal and reference parts, in order.</param>
internal sealed record TextTemplate(EquatableArray<TemplatePart> Parts) : TemplateValue
{
    /// <inheritdoc />
    public override bool HasReferences
    {
        get
        {
            foreach (var part in Parts)
            {
                if (part.Reference is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }

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
        // Literal text is written with its '{{' escaped, so the template reads back as itself.
        var builder = new StringBuilder();
        for (var i = 0; i < Parts.Count; i++)
        {
            var part = Parts[i];
            if (part.Reference is null)
            {
                TemplateParser.AppendEscaped(builder, part.Text ?? string.Empty, referenceFollows: i + 1 < Parts.Count && Parts[i + 1].Reference is not null);
            }
            else
            {
                builder.Append(part.ToString());
            }
        }

        return builder.ToString();
    }
}
