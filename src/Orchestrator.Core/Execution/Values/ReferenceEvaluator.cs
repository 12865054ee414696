using System.Text.Json;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Execution.Values;

/// <summary>Reads the value a <see cref="ReferencePath"/> points at. A missing value is <see cref="JsonValueKind.Undefined"/>; nothing throws.</summary>
internal static class ReferenceEvaluator
{
    public static JsonElement Evaluate(ReferencePath path, ValueScope scope)
    {
        if (!scope.TryResolveRoot(path.Root, out var value, out var step))
        {
            return default;
        }

        var segments = path.Segments.AsSpan();
        if (step is not null)
        {
            if (segments.IsEmpty)
            {
                return step.Data;
            }

            var first = segments[0];
            if (first.Kind == PathSegmentKind.Property && first.Name == "data")
            {
                value = step.Data;
                segments = segments[1..];
            }
            else if (first.Kind == PathSegmentKind.Property && step.GetField(first.Name!) is { ValueKind: not JsonValueKind.Undefined } field)
            {
                value = field;
                segments = segments[1..];
            }
            else
            {
                // Lenient: {{step1.emails}} reads step1's data, as the stored agents' engine allowed.
                value = step.Data;
            }
        }

        return Navigate(value, segments);
    }

    public static JsonElement Navigate(JsonElement value, ReadOnlySpan<PathSegment> segments)
    {
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            switch (segment.Kind)
            {
                case PathSegmentKind.Property:
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(segment.Name!, out var property))
                    {
                        value = property;
                    }
                    else if (value.ValueKind == JsonValueKind.Array && segment.Name == "length")
                    {
                        return JsonValues.FromNumber(value.GetArrayLength());
                    }
                    else if (value.ValueKind == JsonValueKind.String && segment.Name == "length")
                    {
                        return JsonValues.FromNumber(value.GetString()!.Length);
                    }
                    else
                    {
                        return default;
                    }

                    break;
                case PathSegmentKind.Index:
                    if (value.ValueKind != JsonValueKind.Array || segment.Index >= value.GetArrayLength())
                    {
                        return default;
                    }

                    value = value[segment.Index];
                    break;
                default:
                    if (value.ValueKind != JsonValueKind.Array)
                    {
                        return default;
                    }

                    if (i == segments.Length - 1)
                    {
                        return value; // items[*] is the list itself.
                    }

                    return Project(value, segments[(i + 1)..].ToArray());
            }
        }

        return value;
    }

    /// <summary><c>items[*].id</c>: the rest of the path read from every element, as a list (missing values left out).</summary>
    private static JsonElement Project(JsonElement list, PathSegment[] rest) => JsonValues.Write(
        static (writer, state) =>
        {
            writer.WriteStartArray();
            foreach (var item in state.list.EnumerateArray())
            {
                var projected = Navigate(item, state.rest);
                if (projected.ValueKind != JsonValueKind.Undefined)
                {
                    projected.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
        },
        (list, rest));
}
