using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Core.Serialization.Schema;

/// <summary>
/// The strict structured-output variant of the workflow schema, derived from the editor schema (one source), and the
/// way back from a reply written under it to a loadable document.
/// </summary>
/// <remarks>
/// Strict schemas (OpenAI-style) accept only <c>type</c>, <c>properties</c>, <c>required</c>,
/// <c>additionalProperties: false</c>, <c>items</c>, <c>enum</c>, <c>anyOf</c>, <c>$ref</c>, <c>$defs</c> and
/// <c>description</c>; every property must be required (an optional one is made nullable) and no object may be open.
/// So the derivation drops the stored-document spellings (<c>x-alias-of</c>, <c>x-legacy</c>, <c>x-metadata</c>),
/// turns the <c>if</c>/<c>then</c> step union into an <c>anyOf</c> of the step types, and writes free-form values
/// (templates, literals, open objects) as JSON text, which <see cref="ToDocument"/> parses back.
/// </remarks>
internal sealed class StructuredOutputSchema
{
    /// <summary>Marks, in the internal copy only, a value written as JSON text.</summary>
    private const string JsonTextMarker = "x-json-text";

    private static readonly string[] s_markers = ["x-alias-of", "x-legacy", "x-metadata"];

    private readonly JsonObject _root;
    private readonly JsonObject _defs;

    private StructuredOutputSchema(JsonObject root, string json)
    {
        _root = root;
        _defs = root["$defs"]!.AsObject();
        Json = json;
    }

    /// <summary>The strict schema as JSON text (without the internal markers).</summary>
    public string Json { get; }

    /// <summary>Derives the strict schema from the editor schema.</summary>
    /// <param name="editor">The editor schema.</param>
    /// <returns>The strict schema.</returns>
    public static StructuredOutputSchema Derive(JsonObject editor)
    {
        var editorDefs = editor["$defs"]!.AsObject();
        var defs = new JsonObject();
        foreach (var (name, definition) in editorDefs)
        {
            if (name is "agent" or "legacyStep" || definition is not JsonObject schema || IsDropped(schema))
            {
                continue;
            }

            defs[name] = name == "step" ? StepUnion(schema) : Transform(schema);
        }

        var root = Transform(editorDefs["agent"]!.AsObject());
        root["title"] = editor["title"]?.DeepClone();
        root["$defs"] = defs;
        var published = root.DeepClone().AsObject();
        RemoveMarkers(published);
        return new StructuredOutputSchema(root, published.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Turns a reply into a document: nulls dropped, JSON text parsed back.</summary>
    /// <param name="reply">The reply's root object.</param>
    /// <returns>The document.</returns>
    public JsonNode ToDocument(JsonObject reply) => Normalize(reply, _root, 0) ?? new JsonObject();

    private static bool IsDropped(JsonObject schema)
    {
        foreach (var marker in s_markers)
        {
            if (schema.ContainsKey(marker))
            {
                return true;
            }
        }

        return false;
    }

    private static JsonObject StepUnion(JsonObject step)
    {
        // The editor's union is an allOf of if/then branches keyed on 'type'; strict schemas have no if/then.
        var branches = new JsonArray();
        foreach (var branch in step["allOf"]!.AsArray())
        {
            branches.Add((JsonNode)branch!["then"]!.DeepClone());
        }

        return new JsonObject { ["description"] = step["description"]?.DeepClone(), ["anyOf"] = branches };
    }

    private static JsonObject Transform(JsonObject schema)
    {
        var description = schema["description"]?.GetValue<string>();
        if (schema["$ref"] is { } reference)
        {
            return new JsonObject { ["$ref"] = reference.DeepClone() };
        }

        if (schema["const"] is { } constant)
        {
            return WithDescription(new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(constant.DeepClone()) }, description);
        }

        if (schema["enum"] is { } values)
        {
            return WithDescription(new JsonObject { ["type"] = "string", ["enum"] = values.DeepClone() }, description);
        }

        if (schema["anyOf"] is JsonArray anyOf && !schema.ContainsKey("type"))
        {
            var branches = new JsonArray();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var branch in anyOf)
            {
                var transformed = Transform(branch!.AsObject());
                if (seen.Add(transformed.ToJsonString()))
                {
                    branches.Add((JsonNode)transformed);
                }
            }

            return branches.Count == 1 ? WithDescription(branches[0]!.DeepClone().AsObject(), description) : WithDescription(new JsonObject { ["anyOf"] = branches }, description);
        }

        switch (schema["type"]?.GetValue<string>())
        {
            case "object" when schema["properties"] is JsonObject properties:
                var required = new HashSet<string>(StringComparer.Ordinal);
                if (schema["required"] is JsonArray requiredList)
                {
                    foreach (var name in requiredList)
                    {
                        required.Add(name!.GetValue<string>());
                    }
                }

                var strictProperties = new JsonObject();
                var names = new JsonArray();
                foreach (var (name, property) in properties)
                {
                    if (name.StartsWith('$') || property is not JsonObject propertySchema || IsDropped(propertySchema))
                    {
                        continue;
                    }

                    var transformed = Transform(propertySchema);
                    strictProperties[name] = required.Contains(name) ? transformed : Nullable(transformed);
                    names.Add((JsonNode)JsonValue.Create(name));
                }

                return WithDescription(new JsonObject { ["type"] = "object", ["properties"] = strictProperties, ["required"] = names, ["additionalProperties"] = false }, description);
            case "array":
                return WithDescription(new JsonObject { ["type"] = "array", ["items"] = schema["items"] is JsonObject items ? Transform(items) : JsonText(null) }, description);
            case "string" or "number" or "integer" or "boolean" when schema["type"] is { } type:
                return WithDescription(new JsonObject { ["type"] = type.DeepClone() }, description);
            default:
                // A template, a literal or an open object: no strict schema can describe it, so it travels as JSON text.
                return JsonText(description);
        }
    }

    private static JsonObject JsonText(string? description) => new()
    {
        ["type"] = "string",
        ["description"] = (description is null ? string.Empty : description + " ") + "Written as JSON text: an object or list as its JSON, a template as a JSON string (\"\\\"{{input.x}}\\\"\").",
        [JsonTextMarker] = true,
    };

    private static JsonObject Nullable(JsonObject schema)
    {
        if (schema["type"] is JsonValue type && type.TryGetValue<string>(out var name) && !schema.ContainsKey("enum"))
        {
            schema["type"] = new JsonArray(name, "null");
            return schema;
        }

        var description = schema["description"];
        schema.Remove("description");
        var wrapped = new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        if (description is not null)
        {
            wrapped["description"] = description;
        }

        return wrapped;
    }

    private static JsonObject WithDescription(JsonObject schema, string? description)
    {
        if (description is not null && !schema.ContainsKey("description"))
        {
            schema["description"] = description;
        }

        return schema;
    }

    private static void RemoveMarkers(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove(JsonTextMarker);
                foreach (var (_, child) in obj)
                {
                    RemoveMarkers(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    RemoveMarkers(child);
                }

                break;
        }
    }

    private JsonObject Resolve(JsonObject schema)
    {
        var guard = 0;
        while (schema["$ref"] is { } reference && guard++ < 16)
        {
            var name = reference.GetValue<string>()["#/$defs/".Length..];
            schema = _defs[name]!.AsObject();
        }

        return schema;
    }

    private JsonNode? Normalize(JsonNode? node, JsonObject schema, int depth)
    {
        if (node is null || depth > 128)
        {
            return node?.DeepClone();
        }

        schema = Resolve(schema);
        if (schema["anyOf"] is JsonArray branches)
        {
            return Normalize(node, Choose(node, branches), depth + 1);
        }

        if (schema.ContainsKey(JsonTextMarker))
        {
            return node is JsonValue value && value.TryGetValue<string>(out var text) ? ParseJsonText(text) : node.DeepClone();
        }

        switch (node)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                var result = new JsonObject();
                foreach (var (name, child) in obj)
                {
                    if (child is null)
                    {
                        continue; // A strict reply gives every optional field, as null when absent.
                    }

                    result[name] = properties[name] is JsonObject childSchema ? Normalize(child, childSchema, depth + 1) : child.DeepClone();
                }

                return result;
            case JsonArray array when schema["items"] is JsonObject items:
                var list = new JsonArray();
                foreach (var item in array)
                {
                    list.Add(Normalize(item, items, depth + 1));
                }

                return list;
            default:
                return node.DeepClone();
        }
    }

    /// <summary>The branch of an <c>anyOf</c> the value was written under: for a step, the one whose <c>type</c> it names.</summary>
    private JsonObject Choose(JsonNode node, JsonArray branches)
    {
        JsonObject? byKind = null;
        foreach (var branch in branches)
        {
            var resolved = Resolve(branch!.AsObject());
            if (node is JsonObject obj && resolved["properties"]?["type"]?["enum"] is JsonArray types
                && obj["type"] is JsonValue typeValue && typeValue.TryGetValue<string>(out var typeName))
            {
                if (types.Any(t => t?.GetValue<string>() == typeName))
                {
                    return resolved;
                }

                continue;
            }

            if (byKind is null && Matches(node, resolved))
            {
                byKind = resolved;
            }
        }

        return byKind ?? Resolve(branches[0]!.AsObject());
    }

    private static bool Matches(JsonNode node, JsonObject schema)
    {
        if (schema.ContainsKey(JsonTextMarker))
        {
            return node.GetValueKind() == JsonValueKind.String;
        }

        var type = schema["type"] is JsonArray list ? list[0]?.GetValue<string>() : schema["type"]?.GetValue<string>();
        return (type, node.GetValueKind()) switch
        {
            ("object", JsonValueKind.Object) => true,
            ("array", JsonValueKind.Array) => true,
            ("string", JsonValueKind.String) => true,
            ("number" or "integer", JsonValueKind.Number) => true,
            ("boolean", JsonValueKind.True or JsonValueKind.False) => true,
            _ => false,
        };
    }

    private static JsonNode? ParseJsonText(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            // Not JSON: a template or plain text written bare ("{{input.x}}"), kept as the string it is.
            return JsonValue.Create(text);
        }
    }
}
