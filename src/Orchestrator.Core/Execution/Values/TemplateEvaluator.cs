using System.Text;
using System.Text.Json;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Execution.Values;

/// <summary>
/// Fills in a <see cref="TemplateValue"/>: a whole-value reference keeps the referenced value's JSON type, references
/// inside text are rendered as text, literals are returned as they are (no copy). Values read are data: a
/// <c>{{...}}</c> inside them is never expanded.
/// </summary>
internal static class TemplateEvaluator
{
    public static JsonElement Evaluate(TemplateValue? template, ValueScope scope)
    {
        switch (template)
        {
            case null:
                return default;
            case LiteralValue literal:
                return literal.Value;
            case ReferenceValue reference:
                var value = ReferenceEvaluator.Evaluate(reference.Path, scope);
                return value.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : value;
            case TextTemplate text:
                return JsonValues.FromString(Render(text, scope));
            default:
                return JsonValues.Write(static (writer, state) => Write(writer, state.template, state.scope), (template, scope));
        }
    }

    /// <summary>Renders a template as text (prompts, messages).</summary>
    public static string RenderText(TemplateValue? template, ValueScope scope) => template switch
    {
        null => string.Empty,
        TextTemplate text => Render(text, scope),
        _ => JsonValues.ToText(Evaluate(template, scope)),
    };

    private static string Render(TextTemplate text, ValueScope scope)
    {
        var builder = new StringBuilder();
        foreach (var part in text.Parts)
        {
            builder.Append(part.Reference is null ? part.Text : JsonValues.ToText(ReferenceEvaluator.Evaluate(part.Reference, scope)));
        }

        return builder.ToString();
    }

    private static void Write(Utf8JsonWriter writer, TemplateValue template, ValueScope scope)
    {
        switch (template)
        {
            case ObjectTemplate obj:
                writer.WriteStartObject();
                foreach (var property in obj.Properties)
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, scope);
                }

                writer.WriteEndObject();
                break;
            case ArrayTemplate array:
                writer.WriteStartArray();
                foreach (var item in array.Items)
                {
                    Write(writer, item, scope);
                }

                writer.WriteEndArray();
                break;
            case TextTemplate text:
                writer.WriteStringValue(Render(text, scope));
                break;
            default:
                Evaluate(template, scope).WriteTo(writer);
                break;
        }
    }
}
