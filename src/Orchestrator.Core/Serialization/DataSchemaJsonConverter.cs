using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// Reads and writes a <see cref="DataSchema"/>: <c>type</c>, <c>description</c>, <c>semantic_type</c>, <c>properties</c>
/// (an object of schemas, kept in document order), <c>items</c> and <c>required</c>; other keys are annotations and are skipped.
/// </summary>
internal sealed class DataSchemaJsonConverter : JsonConverter<DataSchema>
{
    /// <summary>Deeper schemas are refused rather than walked (a hostile document cannot exhaust the stack).</summary>
    private const int MaxDepth = 64;

    public override DataSchema? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return Parse(document.RootElement, 0);
    }

    public override void Write(Utf8JsonWriter writer, DataSchema value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        WriteSchema(writer, value);
    }

    private static DataSchema Parse(JsonElement element, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A data schema must be an object, not {JsonErrors.Describe(element.ValueKind)}.");
        }

        if (depth > MaxDepth)
        {
            throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A data schema is nested more than {MaxDepth} levels deep.");
        }

        string? type = null;
        string? description = null;
        string? semanticType = null;
        DataSchema? items = null;
        List<DataSchemaProperty>? properties = null;
        List<string>? required = null;
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "type":
                    type = value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString(),

                        // ["string", "null"]: the first type that is not null.
                        JsonValueKind.Array => value.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String && !t.ValueEquals("null")).Select(t => t.GetString()).FirstOrDefault(),
                        JsonValueKind.Null => null,
                        _ => throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A data schema's 'type' must be a string, not {JsonErrors.Describe(value.ValueKind)}."),
                    };
                    break;
                case "description":
                    description = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    break;
                case "semantic_type":
                    semanticType = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    break;
                case "items" when value.ValueKind != JsonValueKind.Null:
                    items = Parse(value, depth + 1);
                    break;
                case "properties" when value.ValueKind == JsonValueKind.Object:
                    properties = [];
                    foreach (var declared in value.EnumerateObject())
                    {
                        properties.Add(new DataSchemaProperty(declared.Name, Parse(declared.Value, depth + 1)));
                    }

                    break;
                case "properties" when value.ValueKind != JsonValueKind.Null:
                    throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A data schema's 'properties' must be an object, not {JsonErrors.Describe(value.ValueKind)}.");
                case "required" when value.ValueKind == JsonValueKind.Array:
                    required = [.. value.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)];
                    break;
            }
        }

        return new DataSchema
        {
            Type = type,
            Description = description,
            SemanticType = semanticType,
            Items = items,
            Properties = properties is null ? default : EquatableArray<DataSchemaProperty>.UnsafeWrap([.. properties]),
            Required = required is null ? default : EquatableArray<string>.UnsafeWrap([.. required]),
        };
    }

    private static void WriteSchema(Utf8JsonWriter writer, DataSchema schema)
    {
        writer.WriteStartObject();
        if (schema.Type is not null)
        {
            writer.WriteString("type", schema.Type);
        }

        if (schema.Description is not null)
        {
            writer.WriteString("description", schema.Description);
        }

        if (schema.SemanticType is not null)
        {
            writer.WriteString("semantic_type", schema.SemanticType);
        }

        if (!schema.Properties.IsEmpty)
        {
            writer.WritePropertyName("properties");
            writer.WriteStartObject();
            foreach (var property in schema.Properties)
            {
                writer.WritePropertyName(property.Name);
                WriteSchema(writer, property.Schema);
            }

            writer.WriteEndObject();
        }

        if (schema.Items is not null)
        {
            writer.WritePropertyName("items");
            WriteSchema(writer, schema.Items);
        }

        if (!schema.Required.IsEmpty)
        {
            writer.WriteStartArray("required");
            foreach (var name in schema.Required)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
