using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// A field that names data to read (<c>iterateOver</c>, <c>input</c>, <c>evaluate</c>, ...): a string without braces is a
/// bare path (<c>step1.data.items</c>); a string with braces is a template; any other JSON value is a literal.
/// </summary>
internal sealed class PathOrTemplateJsonConverter : JsonConverter<TemplateValue>
{
    public override TemplateValue? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            return JsonErrors.Guard(() => text.Contains("{{", StringComparison.Ordinal)
                ? TemplateValue.Parse(text)
                : new ReferenceValue(ReferencePath.Parse(text)));
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return JsonErrors.Guard(() => TemplateValue.Parse(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, TemplateValue value, JsonSerializerOptions options) => value.WriteTo(writer);
}
