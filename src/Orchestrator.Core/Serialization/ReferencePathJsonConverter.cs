using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Serialization;

/// <summary>A path written bare or in braces (<c>step2.data.decision</c>, <c>{{step2.data.decision}}</c>); written back bare.</summary>
internal sealed class ReferencePathJsonConverter : JsonConverter<ReferencePath>
{
    public override ReferencePath? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a path such as \"step1.data.x\", not {JsonErrors.Describe(reader.TokenType)}.");
        }

        var text = reader.GetString()!;
        return JsonErrors.Guard(() => ReferencePath.Parse(text));
    }

    public override void Write(Utf8JsonWriter writer, ReferencePath value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
