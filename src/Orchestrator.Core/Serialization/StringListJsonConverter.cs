using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Core.Serialization;

/// <summary>A list of strings, also accepting a single string (<c>"trueBranch": "step4"</c>).</summary>
internal sealed class StringListJsonConverter : JsonConverter<EquatableArray<string>>
{
    public override EquatableArray<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return default;
            case JsonTokenType.String:
                return EquatableArray<string>.UnsafeWrap([reader.GetString()!]);
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new JsonException($"Expected a list of strings, but an element is {JsonErrors.Describe(reader.TokenType)}.");
                    }

                    items.Add(reader.GetString()!);
                }

                return EquatableArray<string>.UnsafeWrap([.. items]);
            default:
                throw new JsonException($"Expected a string or a list of strings, not {JsonErrors.Describe(reader.TokenType)}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, EquatableArray<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
