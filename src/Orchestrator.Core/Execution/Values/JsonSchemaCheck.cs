using System.Text.Json;

namespace Orchestrator.Core.Execution.Values;

/// <summary>
/// Checks a value against the subset of JSON Schema LLM steps use for structured replies: <c>type</c>, <c>required</c>,
/// <c>properties</c>, <c>items</c>, <c>enum</c>. Returns the first problem, or null.
/// </summary>
internal static class JsonSchemaCheck
{
    private const int MaxDepth = 32;

    public static string? FindProblem(JsonElement value, JsonElement schema) => Check(value, schema, "$", 0);

    private static string? Check(JsonElement value, JsonElement schema, string path, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            return null;
        }

        if (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && !HasType(value, type.GetString()!))
        {
            return $"{path} should be {type.GetString()}, not {value.ValueKind.ToString().ToLowerInvariant()}.";
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array)
        {
            var found = false;
            foreach (var candidate in allowed.EnumerateArray())
            {
                found |= JsonElement.DeepEquals(candidate, value);
            }

            if (!found)
            {
                return $"{path} should be one of {allowed.GetRawText()}.";
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
            {
                foreach (var name in required.EnumerateArray())
                {
                    if (name.ValueKind == JsonValueKind.String && !value.TryGetProperty(name.GetString()!, out _))
                    {
                        return $"{path} is missing '{name.GetString()}'.";
                    }
                }
            }

            if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (value.TryGetProperty(property.Name, out var member)
                        && Check(member, property.Value, path + "." + property.Name, depth + 1) is { } problem)
                    {
                        return problem;
                    }
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Check(item, items, $"{path}[{index++}]", depth + 1) is { } problem)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };
}
