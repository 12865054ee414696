using System.Text.Json;
using Orchestrator.Core.Execution.Values;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// Merges JSON objects: shallowly (later properties replace earlier ones, keeping the first one's position) or deeply
/// (objects merged key by key at every level; lists concatenated or replaced; anything else replaced by the later value).
/// </summary>
internal static class ObjectMerger
{
    /// <summary>Adds an object's properties, replacing those already there; a value that is not an object adds nothing.</summary>
    public static void AddProperties(OrderedDictionary<string, JsonElement> target, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in value.EnumerateObject())
        {
            target[property.Name] = property.Value;
        }
    }

    /// <summary>Writes the properties as one object.</summary>
    public static JsonElement Write(OrderedDictionary<string, JsonElement> properties) => JsonValues.Write(
        static (writer, properties) =>
        {
            writer.WriteStartObject();
            foreach (var property in properties)
            {
                writer.WritePropertyName(property.Key);
                property.Value.WriteTo(writer);
            }

            writer.WriteEndObject();
        },
        properties);

    /// <summary>Deep-merges the layers in order (a later layer wins) and returns the result.</summary>
    /// <param name="layers">The values merged, earliest first.</param>
    /// <param name="concatenateArrays">Whether lists met at the same place are concatenated rather than replaced.</param>
    public static JsonElement DeepMerge(IReadOnlyList<JsonElement> layers, bool concatenateArrays) => JsonValues.Write(
        static (writer, state) => WriteDeepMerged(writer, state.layers, state.concatenateArrays),
        (layers, concatenateArrays));

    /// <summary>
    /// Writes the merge of values met at one place. The last value decides the kind: when it is an object (or, with
    /// <paramref name="concatenateArrays"/>, a list), it merges with the run of values of the same kind just before it;
    /// an earlier value of another kind was replaced, so it and everything before it are dropped.
    /// </summary>
    private static void WriteDeepMerged(Utf8JsonWriter writer, IReadOnlyList<JsonElement> layers, bool concatenateArrays)
    {
        var last = layers[^1];
        var kind = last.ValueKind;
        if (kind != JsonValueKind.Object && !(kind == JsonValueKind.Array && concatenateArrays))
        {
            last.WriteTo(writer);
            return;
        }

        var first = layers.Count - 1;
        while (first > 0 && layers[first - 1].ValueKind == kind)
        {
            first--;
        }

        if (kind == JsonValueKind.Array)
        {
            writer.WriteStartArray();
            for (var i = first; i < layers.Count; i++)
            {
                foreach (var element in layers[i].EnumerateArray())
                {
                    element.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
            return;
        }

        // Collect, per key in order of first appearance, the values each layer gives it; then merge each key's values.
        var perKey = new OrderedDictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        for (var i = first; i < layers.Count; i++)
        {
            foreach (var property in layers[i].EnumerateObject())
            {
                if (!perKey.TryGetValue(property.Name, out var values))
                {
                    values = [];
                    perKey.Add(property.Name, values);
                }

                values.Add(property.Value);
            }
        }

        writer.WriteStartObject();
        foreach (var entry in perKey)
        {
            writer.WritePropertyName(entry.Key);
            WriteDeepMerged(writer, entry.Value, concatenateArrays);
        }

        writer.WriteEndObject();
    }
}
