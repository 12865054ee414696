using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// Checks a <see cref="ValidationStep"/>'s input against its schema and rules, reporting every problem at once as
/// <c>{ "valid": bool, "errors": [ { "field", "message" } ] }</c>. What to do when it is invalid
/// (<c>onValidationFail</c>) is the executor's business, not this one's.
/// </summary>
/// <remarks>
/// <para>Schema keys (a subset of JSON Schema, checked at every level through <c>properties</c>):
/// <c>type</c> (<c>string</c>, <c>number</c>, <c>integer</c>, <c>boolean</c>, <c>array</c>, <c>object</c>, <c>null</c>,
/// or a list of them; strict JSON types: <c>"3"</c> is a string; an unknown name is reported as an error);
/// <c>required</c> (property names that must be present and not null);
/// <c>properties</c> (a schema per property, applied to properties that are present);
/// <c>minLength</c>/<c>maxLength</c> (characters of a string, elements of a list);
/// <c>min</c>/<c>max</c> (also spelled <c>minimum</c>/<c>maximum</c>; numbers, inclusive);
/// <c>pattern</c> (a string must match; an invalid pattern matches nothing). Keys that do not apply to the value's
/// kind are ignored (the <c>type</c> key reports a wrong kind). Errors name the field as a path from the input
/// (<c>address.city</c>); an error about the input as a whole has a null field.</para>
/// <para>Rules: each rule's condition is evaluated with <c>item</c> = the input and <c>value</c> = the rule's field of
/// the input (<c>input[field]</c>, or the input when the rule has no field). A rule with a field and no condition
/// requires the field to be present and not null. A failing rule reports its <c>message</c> (or a default one)
/// under its field.</para>
/// </remarks>
internal static class ValidationOperations
{
    public static JsonElement Validate(ValidationStep step, JsonElement input, ValueScope scope)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(scope);
        var errors = new List<(string? Field, string Message)>();
        if (step.Schema is { } schema)
        {
            CheckSchema(input, schema.Value, null, errors);
        }

        foreach (var rule in step.Rules)
        {
            CheckRule(rule, input, scope, errors);
        }

        return JsonValues.Write(
            static (writer, errors) =>
            {
                writer.WriteStartObject();
                writer.WriteBoolean("valid", errors.Count == 0);
                writer.WriteStartArray("errors");
                foreach (var (field, message) in errors)
                {
                    writer.WriteStartObject();
                    if (field is null)
                    {
                        writer.WriteNull("field");
                    }
                    else
                    {
                        writer.WriteString("field", field);
                    }

                    writer.WriteString("message", message);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            },
            errors);
    }

    private static void CheckRule(ValidationRule rule, JsonElement input, ValueScope scope, List<(string?, string)> errors)
    {
        var value = rule.Field is null ? input : FieldPath.Read(input, FieldPath.Parse(rule.Field));
        bool passed;
        if (rule.Condition is { } condition)
        {
            passed = ConditionEvaluator.Evaluate(condition, new ItemScope(scope, input, index: null, value: value));
        }
        else
        {
            passed = rule.Field is null || !JsonKinds.IsNullOrMissing(value);
        }

        if (!passed)
        {
            errors.Add((rule.Field, rule.Message ?? (rule.Field is null ? "The input does not meet a rule." : $"'{rule.Field}' does not meet a rule.")));
        }
    }

    private static void CheckSchema(JsonElement value, JsonElement schema, string? path, List<(string?, string)> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var name = path ?? "The input";
        if (schema.TryGetProperty("type", out var type))
        {
            CheckType(value, type, path, name, errors);
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                CheckLength(CountCharacters(text), schema, path, name, "characters", errors);
                if (schema.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String
                    && !RegexCache.IsMatch(text, pattern.GetString()!, cacheable: true))
                {
                    errors.Add((path, $"{name} does not match the pattern {pattern.GetString()}."));
                }

                break;
            case JsonValueKind.Array:
                CheckLength(value.GetArrayLength(), schema, path, name, "elements", errors);
                break;
            case JsonValueKind.Number:
                var number = value.GetDouble();
                if (TryGetBound(schema, "min", "minimum", out var min) && number < min)
                {
                    errors.Add((path, $"{name} must be at least {Format(min)}."));
                }

                if (TryGetBound(schema, "max", "maximum", out var max) && number > max)
                {
                    errors.Add((path, $"{name} must be at most {Format(max)}."));
                }

                break;
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var property in required.EnumerateArray())
            {
                if (property.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                var propertyName = property.GetString()!;
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(propertyName, out var present) || present.ValueKind == JsonValueKind.Null)
                {
                    var childPath = Child(path, propertyName);
                    errors.Add((childPath, $"{childPath} is required."));
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (value.TryGetProperty(property.Name, out var child))
                {
                    CheckSchema(child, property.Value, Child(path, property.Name), errors);
                }
            }
        }
    }

    private static void CheckType(JsonElement value, JsonElement type, string? path, string name, List<(string?, string)> errors)
    {
        if (type.ValueKind == JsonValueKind.String)
        {
            var expected = type.GetString()!;
            if (!IsKnownType(expected))
            {
                errors.Add((path, $"The schema names an unknown type '{expected}' for {name}."));
            }
            else if (!HasType(value, expected))
            {
                errors.Add((path, $"{name} must be of type {expected}, not {JsonKinds.Describe(value)}."));
            }

            return;
        }

        if (type.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var option in type.EnumerateArray())
        {
            if (option.ValueKind == JsonValueKind.String && HasType(value, option.GetString()!))
            {
                return;
            }
        }

        errors.Add((path, $"{name} must be of type {type.GetRawText()}, not {JsonKinds.Describe(value)}."));
    }

    private static bool IsKnownType(string type) =>
        type is "string" or "number" or "integer" or "boolean" or "array" or "object" or "null";

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && double.IsInteger(value.GetDouble()),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    private static void CheckLength(int length, JsonElement schema, string? path, string name, string unit, List<(string?, string)> errors)
    {
        if (TryGetBound(schema, "minLength", null, out var min) && length < min)
        {
            errors.Add((path, $"{name} must have at least {Format(min)} {unit}."));
        }

        if (TryGetBound(schema, "maxLength", null, out var max) && length > max)
        {
            errors.Add((path, $"{name} must have at most {Format(max)} {unit}."));
        }
    }

    private static bool TryGetBound(JsonElement schema, string key, string? alias, out double bound)
    {
        if ((schema.TryGetProperty(key, out var element) || (alias is not null && schema.TryGetProperty(alias, out element)))
            && element.ValueKind == JsonValueKind.Number)
        {
            bound = element.GetDouble();
            return true;
        }

        bound = 0;
        return false;
    }

    // Characters as people count them (code points), so an emoji is one, not two UTF-16 units.
    private static int CountCharacters(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static string Child(string? path, string name) => path is null ? name : path + "." + name;

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);
}
