using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>Reads a <see cref="TransformOperation"/> by any of its spellings (<c>group_by</c>, <c>dedupe</c>, ...); writes the canonical one.</summary>
internal sealed class TransformOperationJsonConverter : JsonConverter<TransformOperation>
{
    public override TransformOperation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A bare JsonException makes the serializer report "could not be converted to TransformOperation", which the
        // loader turns into the list of known operations (JsonErrors).
        return reader.TokenType == JsonTokenType.String && TransformOperationNames.TryParse(reader.GetString()!, out var operation)
            ? operation.Value
            : throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, TransformOperation value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(TransformOperationNames.ToName(value));
    }
}
