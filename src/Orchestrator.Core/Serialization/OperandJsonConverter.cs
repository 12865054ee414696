using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// A comparison operand (<c>left</c>, <c>right</c>), where literal strings are as useful as paths: a string with braces is
/// a template; a string with a <c>.</c> or <c>[</c> that reads as a path (<c>step1.data.status</c>) is a reference; any
/// other string (<c>"done"</c>) is a literal. Other JSON values are literals (with any references inside parsed).
/// </summary>
internal sealed class OperandJsonConverter : JsonConverter<TemplateValue>
{
    public override TemplateValue? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            if (text.Contains("{{", StringComparison.Ordinal))
            {
                return JsonErrors.Guard(() => TemplateValue.Parse(text));
            }

            if (text.AsSpan().IndexOfAny('.', '[') > 0 && !text.Contains(' ', StringComparison.Ordinal))
            {
                try
                {
                    return new ReferenceValue(ReferencePath.Parse(text));
                }
                catch (TemplateSyntaxException)
                {
                    // Not a path after all ("v1.2-beta!"): a literal.
                }
            }

            return LiteralValue.FromString(text);
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return JsonErrors.Guard(() => TemplateValue.Parse(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, TemplateValue value, JsonSerializerOptions options)
    {
        if (value is ReferenceValue reference)
        {
            writer.WriteStringValue(reference.Path.ToString()); // Written bare, as it is read back.
            return;
        }

        value.WriteTo(writer);
    }
}
