using System.Text.Json;
using Orchestrator.Core;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Mcp.Mapping;

/// <summary>
/// Reads a tool's input JSON Schema as the catalog's parameter descriptions, so the planner can check action steps:
/// each entry of <c>properties</c> is a parameter (its <c>type</c>, <c>description</c>), each name in <c>required</c> is
/// required, and <c>writeOnly: true</c> or <c>format: "password"</c> marks a secret.
/// </summary>
internal static class ToolParameters
{
    public static EquatableArray<PluginParameterDescriptor> Read(JsonElement inputSchema)
    {
        if (inputSchema.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var required = new HashSet<string>(StringComparer.Ordinal);
        if (inputSchema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in names.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String)
                {
                    required.Add(name.GetString()!);
                }
            }
        }

        var parameters = new List<PluginParameterDescriptor>();
        if (inputSchema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                parameters.Add(Describe(property.Name, property.Value, required.Remove(property.Name)));
            }
        }

        // A name required without a property schema still has to be passed; keep schema order, then these.
        foreach (var name in names.ValueKind == JsonValueKind.Array ? names.EnumerateArray() : default)
        {
            if (name.ValueKind == JsonValueKind.String && required.Remove(name.GetString()!))
            {
                parameters.Add(new PluginParameterDescriptor { Name = name.GetString()!, Required = true });
            }
        }

        return [.. parameters];
    }

    private static PluginParameterDescriptor Describe(string name, JsonElement schema, bool required) => new()
    {
        Name = name,
        Required = required,
        Type = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type) ? TypeName(type) : null,
        Description = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String
            ? description.GetString()
            : null,
        Sensitive = schema.ValueKind == JsonValueKind.Object
            && ((schema.TryGetProperty("writeOnly", out var writeOnly) && writeOnly.ValueKind == JsonValueKind.True)
                || (schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && format.ValueEquals("password"))),
    };

    /// <summary>
    /// The orchestrator's type name for a schema <c>type</c>: a known name as it is; a list such as
    /// <c>["string", "null"]</c> as its one non-null member, or <c>any</c> when it allows several; anything else unknown.
    /// </summary>
    private static string? TypeName(JsonElement type)
    {
        if (type.ValueKind == JsonValueKind.String)
        {
            var name = type.GetString()!;
            return name == "null" ? InputTypes.Any : Known(name);
        }

        if (type.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string? only = null;
        foreach (var member in type.EnumerateArray())
        {
            if (member.ValueKind != JsonValueKind.String || member.ValueEquals("null"))
            {
                continue;
            }

            if (only is not null)
            {
                return InputTypes.Any;
            }

            only = Known(member.GetString()!);
        }

        return only ?? InputTypes.Any;
    }

    private static string? Known(string name)
    {
        foreach (var known in InputTypes.All)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                return known;
            }
        }

        return null;
    }
}
