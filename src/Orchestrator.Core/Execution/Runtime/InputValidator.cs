using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>Checks a run's inputs against <c>input_schema</c> before anything runs: required values, types, defaults.</summary>
internal static class InputValidator
{
    public static (JsonElement Inputs, string? Error) Validate(WorkflowDefinition definition, JsonElement inputs)
    {
        if (inputs.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            inputs = JsonValues.EmptyObject;
        }

        if (inputs.ValueKind != JsonValueKind.Object)
        {
            return (inputs, $"The inputs must be a JSON object, not {inputs.ValueKind.ToString().ToLowerInvariant()}.");
        }

        if (definition.InputSchema.IsEmpty)
        {
            return (inputs, null);
        }

        var problems = new List<string>();
        var defaults = new List<(string Name, JsonElement Value)>();
        foreach (var parameter in definition.InputSchema)
        {
            if (!inputs.TryGetProperty(parameter.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (parameter.Default is { } fallback)
                {
                    defaults.Add((parameter.Name, fallback.Value));
                }
                else if (parameter.Required)
                {
                    problems.Add($"'{parameter.Name}' is required.");
                }

                continue;
            }

            if (parameter.Type is { } type && !Matches(value, type))
            {
                problems.Add($"'{parameter.Name}' must be {type}, not {value.ValueKind.ToString().ToLowerInvariant()}.");
            }
        }

        if (problems.Count > 0)
        {
            return (inputs, string.Join(" ", problems));
        }

        if (defaults.Count == 0)
        {
            return (inputs, null);
        }

        return (JsonValues.Write(static (writer, state) =>
        {
            writer.WriteStartObject();
            foreach (var property in state.inputs.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Null || !state.defaults.Exists(d => d.Name == property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            foreach (var (name, value) in state.defaults)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }, (inputs, defaults)), null);
    }

    private static bool Matches(JsonElement value, string type) => type.ToUpperInvariant() switch
    {
        "STRING" => value.ValueKind == JsonValueKind.String,
        "NUMBER" => value.ValueKind == JsonValueKind.Number,
        "INTEGER" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "BOOLEAN" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "ARRAY" => value.ValueKind == JsonValueKind.Array,
        "OBJECT" => value.ValueKind == JsonValueKind.Object,
        _ => true, // Unknown type names (the planner warns about them) accept any value.
    };
}
