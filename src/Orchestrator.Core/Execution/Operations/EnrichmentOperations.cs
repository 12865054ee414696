using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// Runs an <see cref="EnrichmentStep"/>: fills in each source's <c>from</c> and combines the values in source order.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>merge</c>: an object of the sources' properties, later sources replacing earlier ones (a replaced key keeps
/// its first position). A source that is not an object (a list, a string, null for a skipped step) is stored under its
/// <c>key</c> instead.</item>
/// <item><c>deep_merge</c>: as <c>merge</c>, but objects met under the same key are merged at every level; lists are
/// concatenated when <c>mergeArrays</c> is true and replaced otherwise; any other value is replaced.</item>
/// <item><c>join</c>: every source must be a list (else <c>ENRICHMENT_SOURCE_NOT_A_LIST</c>). The first list is the
/// base, and the result has exactly its items, in its order (a left join): each object item receives, shallowly and
/// later winning, the properties of the items of later lists whose <c>joinOn</c> field equals its own. Keys compare
/// as text, with numbers and numeric strings by value (<c>1</c> joins <c>"1"</c>); items whose key is missing, null,
/// a list or an object join nothing; later items with no partner are dropped. Without <c>joinOn</c> the step fails
/// with <c>ENRICHMENT_JOIN_ON_MISSING</c>.</item>
/// </list>
/// </remarks>
internal static class EnrichmentOperations
{
    public const string SourceNotAListCode = "ENRICHMENT_SOURCE_NOT_A_LIST";
    public const string JoinOnMissingCode = "ENRICHMENT_JOIN_ON_MISSING";

    public static ValueResult Apply(EnrichmentStep step, ValueScope scope)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(scope);
        var sources = step.Sources;
        var values = new JsonElement[sources.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var value = TemplateEvaluator.Evaluate(sources[i].From, scope);
            values[i] = value.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : value;
        }

        switch (step.Strategy)
        {
            case EnrichmentStrategy.Merge:
                var merged = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
                for (var i = 0; i < values.Length; i++)
                {
                    if (values[i].ValueKind == JsonValueKind.Object)
                    {
                        ObjectMerger.AddProperties(merged, values[i]);
                    }
                    else
                    {
                        merged[sources[i].Key] = values[i];
                    }
                }

                return ValueResult.Ok(ObjectMerger.Write(merged));
            case EnrichmentStrategy.DeepMerge:
                var layers = new List<JsonElement>(values.Length + 1) { JsonValues.EmptyObject };
                for (var i = 0; i < values.Length; i++)
                {
                    layers.Add(values[i].ValueKind == JsonValueKind.Object ? values[i] : Wrap(sources[i].Key, values[i]));
                }

                return ValueResult.Ok(ObjectMerger.DeepMerge(layers, step.MergeArrays));
            default:
                return Join(step, values);
        }
    }

    private static JsonElement Wrap(string key, JsonElement value) => JsonValues.Write(
        static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName(state.key);
            state.value.WriteTo(writer);
            writer.WriteEndObject();
        },
        (key, value));

    private static ValueResult Join(EnrichmentStep step, JsonElement[] values)
    {
        if (string.IsNullOrEmpty(step.JoinOn))
        {
            return ValueResult.Fail(JoinOnMissingCode, $"Enrichment step '{step.Id}' joins lists but has no joinOn field.");
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].ValueKind != JsonValueKind.Array)
            {
                return ValueResult.Fail(
                    SourceNotAListCode,
                    $"Enrichment step '{step.Id}' joins lists, but source '{step.Sources[i].Key}' is {JsonKinds.Describe(values[i])}.");
            }
        }

        if (values.Length == 0)
        {
            return ValueResult.Ok(JsonValues.EmptyArray);
        }

        var field = FieldPath.Parse(step.JoinOn);

        // One index of the later lists' items by key, built once: the join is linear in the total number of items.
        var partners = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        for (var i = 1; i < values.Length; i++)
        {
            foreach (var item in values[i].EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && TryGetKey(FieldPath.Read(item, field), out var key))
                {
                    if (!partners.TryGetValue(key, out var list))
                    {
                        list = [];
                        partners.Add(key, list);
                    }

                    list.Add(item);
                }
            }
        }

        return ValueResult.Ok(JsonValues.Write(
            static (writer, state) =>
            {
                writer.WriteStartArray();
                var merged = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var item in state.values[0].EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object
                        || !TryGetKey(FieldPath.Read(item, state.field), out var key)
                        || !state.partners.TryGetValue(key, out var matches))
                    {
                        item.WriteTo(writer);
                        continue;
                    }

                    merged.Clear();
                    ObjectMerger.AddProperties(merged, item);
                    foreach (var match in matches)
                    {
                        ObjectMerger.AddProperties(merged, match);
                    }

                    writer.WriteStartObject();
                    foreach (var property in merged)
                    {
                        writer.WritePropertyName(property.Key);
                        property.Value.WriteTo(writer);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            },
            (values, field, partners)));
    }

    private static bool TryGetKey(JsonElement value, out string key)
    {
        if (JsonValues.TryGetNumber(value, out var number))
        {
            key = number.ToString("R", CultureInfo.InvariantCulture);
            return true;
        }

        return JsonKinds.TryGetScalarText(value, out key);
    }
}
