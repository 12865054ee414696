using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core;

namespace Orchestrator.Orleans.Serialization;

/// <summary>Reads and writes an <see cref="EquatableArray{T}"/> of strings as a JSON array.</summary>
internal sealed class EquatableArrayJsonConverter : JsonConverter<EquatableArray<string>>
{
    public override EquatableArray<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        var items = JsonSerializer.Deserialize<string[]>(ref reader, options) ?? [];
        return new EquatableArray<string>(items);
    }

    public override void Write(Utf8JsonWriter writer, EquatableArray<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
