using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// Runs a <see cref="ComparisonStep"/> over its two filled-in values. Missing values count as null; nothing throws.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>equals</c>: <see cref="JsonValues.LooseEquals"/>. <c>deep_equals</c>: strict JSON equality (types must match).</item>
/// <item><c>contains</c> (left contains right): a substring of a string; an element of a list (loose equality), or, when
/// right is a list that is not itself an element, every element of it; for objects, every property of right present in
/// left with a matching value (objects matched recursively the same way), or right a string naming a key.</item>
/// <item><c>subset</c> (left is within right): every element of a left list is an element of the right list; every
/// property of a left object is in the right object with a matching value; a scalar equals right or is one of its elements.</item>
/// <item><c>diff</c>: for two objects <c>{ "added": {k: right}, "removed": {k: left}, "changed": {k: {"from", "to"}} }</c>
/// (one level; values compared strictly); for two lists <c>{ "added": [...], "removed": [...] }</c> (elements matched
/// one for one, so duplicates count); otherwise <c>{}</c> when strictly equal, else <c>{ "from": left, "to": right }</c>.
/// As a boolean, <c>diff</c> is true when there is no difference.</item>
/// <item>Output: <c>boolean</c>: the result; <c>diff</c>: the diff object whatever the operation; <c>detailed</c>:
/// <c>{ "equal": result, "operation", "diff" }</c>. With no <c>outputFormat</c>, the <c>diff</c> operation yields the
/// diff object (what its author asked for) and the others a boolean.</item>
/// </list>
/// </remarks>
internal static class ComparisonOperations
{
    public static JsonElement Compare(ComparisonStep step, JsonElement left, JsonElement right)
    {
        ArgumentNullException.ThrowIfNull(step);
        left = NullIfMissing(left);
        right = NullIfMissing(right);
        var format = step.OutputFormat ?? (step.Operation == ComparisonOperation.Diff ? ComparisonOutputFormat.Diff : ComparisonOutputFormat.Boolean);
        if (format == ComparisonOutputFormat.Diff)
        {
            return Diff(left, right);
        }

        bool result;
        switch (step.Operation)
        {
            case ComparisonOperation.Equals:
                result = JsonValues.LooseEquals(left, right);
                break;
            case ComparisonOperation.DeepEquals:
                result = JsonElement.DeepEquals(left, right);
                break;
            case ComparisonOperation.Contains:
                result = Contains(left, right);
                break;
            case ComparisonOperation.Subset:
                result = IsSubset(left, right);
                break;
            default:
                result = JsonElement.DeepEquals(left, right);
                break;
        }

        if (format == ComparisonOutputFormat.Boolean)
        {
            return JsonValues.FromBoolean(result);
        }

        return JsonValues.Write(
            static (writer, state) =>
            {
                writer.WriteStartObject();
                writer.WriteBoolean("equal", state.result);
                writer.WriteString("operation", Name(state.operation));
                writer.WritePropertyName("diff");
                state.diff.WriteTo(writer);
                writer.WriteEndObject();
            },
            (result, operation: step.Operation, diff: Diff(left, right)));
    }

    private static JsonElement NullIfMissing(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : value;

    private static string Name(ComparisonOperation operation) => operation switch
    {
        ComparisonOperation.Equals => "equals",
        ComparisonOperation.DeepEquals => "deep_equals",
        ComparisonOperation.Contains => "contains",
        ComparisonOperation.Subset => "subset",
        _ => "diff",
    };

    private static bool Contains(JsonElement left, JsonElement right)
    {
        switch (left.ValueKind)
        {
            case JsonValueKind.Array:
                if (ConditionEvaluator.Contains(left, right))
                {
                    return true;
                }

                return right.ValueKind == JsonValueKind.Array && IsSubset(right, left);
            case JsonValueKind.Object when right.ValueKind == JsonValueKind.Object:
                return ObjectWithin(right, left);
            default:
                return ConditionEvaluator.Contains(left, right);
        }
    }

    private static bool IsSubset(JsonElement left, JsonElement right)
    {
        switch (left.ValueKind)
        {
            case JsonValueKind.Array when right.ValueKind == JsonValueKind.Array:
                foreach (var element in left.EnumerateArray())
                {
                    if (!ConditionEvaluator.Contains(right, element))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object when right.ValueKind == JsonValueKind.Object:
                return ObjectWithin(left, right);
            case JsonValueKind.Array or JsonValueKind.Object:
                return false;
            default:
                return JsonValues.LooseEquals(left, right) || (right.ValueKind == JsonValueKind.Array && ConditionEvaluator.Contains(right, left));
        }
    }

    // Every property of the part is in the whole with a matching value; nested objects match the same way.
    private static bool ObjectWithin(JsonElement part, JsonElement whole)
    {
        foreach (var property in part.EnumerateObject())
        {
            if (!whole.TryGetProperty(property.Name, out var other))
            {
                return false;
            }

            var matches = property.Value.ValueKind == JsonValueKind.Object && other.ValueKind == JsonValueKind.Object
                ? ObjectWithin(property.Value, other)
                : JsonValues.LooseEquals(property.Value, other);
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    private static JsonElement Diff(JsonElement left, JsonElement right)
    {
        if (left.ValueKind == JsonValueKind.Object && right.ValueKind == JsonValueKind.Object)
        {
            return JsonValues.Write(static (writer, state) => WriteObjectDiff(writer, state.left, state.right), (left, right));
        }

        if (left.ValueKind == JsonValueKind.Array && right.ValueKind == JsonValueKind.Array)
        {
            return JsonValues.Write(static (writer, state) => WriteListDiff(writer, state.left, state.right), (left, right));
        }

        if (JsonElement.DeepEquals(left, right))
        {
            return JsonValues.EmptyObject;
        }

        return JsonValues.Write(
            static (writer, state) =>
            {
                writer.WriteStartObject();
                writer.WritePropertyName("from");
                state.left.WriteTo(writer);
                writer.WritePropertyName("to");
                state.right.WriteTo(writer);
                writer.WriteEndObject();
            },
            (left, right));
    }

    private static void WriteObjectDiff(Utf8JsonWriter writer, JsonElement left, JsonElement right)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("added");
        foreach (var property in right.EnumerateObject())
        {
            if (!left.TryGetProperty(property.Name, out _))
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        writer.WriteStartObject("removed");
        foreach (var property in left.EnumerateObject())
        {
            if (!right.TryGetProperty(property.Name, out _))
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        writer.WriteStartObject("changed");
        foreach (var property in left.EnumerateObject())
        {
            if (right.TryGetProperty(property.Name, out var other) && !JsonElement.DeepEquals(property.Value, other))
            {
                writer.WriteStartObject(property.Name);
                writer.WritePropertyName("from");
                property.Value.WriteTo(writer);
                writer.WritePropertyName("to");
                other.WriteTo(writer);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteListDiff(Utf8JsonWriter writer, JsonElement left, JsonElement right)
    {
        // Match elements one for one, so [1, 1] -> [1] reports one removed 1.
        var leftItems = new List<JsonElement>(left.GetArrayLength());
        foreach (var element in left.EnumerateArray())
        {
            leftItems.Add(element);
        }

        var matched = new bool[leftItems.Count];
        writer.WriteStartObject();
        writer.WriteStartArray("added");
        foreach (var element in right.EnumerateArray())
        {
            var found = false;
            for (var i = 0; i < leftItems.Count && !found; i++)
            {
                if (!matched[i] && JsonElement.DeepEquals(leftItems[i], element))
                {
                    matched[i] = true;
                    found = true;
                }
            }

            if (!found)
            {
                element.WriteTo(writer);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("removed");
        for (var i = 0; i < leftItems.Count; i++)
        {
            if (!matched[i])
            {
                leftItems[i].WriteTo(writer);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
