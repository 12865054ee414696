using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// Runs a <see cref="TransformStep"/> over its input. Every operation but <c>set</c> needs a list; anything else fails
/// the step with <c>TRANSFORM_INPUT_NOT_A_LIST</c>, and a missing setting with <c>TRANSFORM_CONFIG_MISSING</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>map</c>: each item becomes <c>mapping</c> filled in with <c>item</c>, <c>value</c> and <c>index</c> in scope.
/// Shorthand: a plain string in the mapping (no braces) that reads as a path is a field of the item, so
/// <c>{ "q": "decision" }</c> means <c>{ "q": "{{item.decision}}" }</c> (missing fields give null); text that is
/// not a path (spaces, punctuation) stays text.</item>
/// <item><c>filter</c>: keeps the items for which <c>condition</c> holds (the item is <c>item</c>); without a
/// condition, keeps the truthy items.</item>
/// <item><c>reduce</c>: folds <c>item[field]</c> (or the item) with <c>reducer</c> from <c>initialValue</c>:
/// <c>sum</c> adds numbers (numeric strings too; other values are skipped; starts at 0); <c>count</c> counts items
/// (with <c>field</c>: items where it is present and not null); <c>concat</c> builds a list (lists are flattened one
/// level, nulls skipped) or, when <c>initialValue</c> is a string, a string of the values' text; <c>merge</c>
/// merges objects shallowly, later wins, skipping non-objects.</item>
/// <item><c>sort</c>: by <c>item[field]</c> (or the item): numbers (and numeric strings) by value first, then other
/// strings ordinally, then everything else in input order; <c>desc</c> reverses the numbers and strings but keeps
/// the rest last. Stable.</item>
/// <item><c>group</c>: an object from the text of <c>item[field]</c> to the list of its items, keys in order of first
/// appearance; missing and null values group under <c>""</c>.</item>
/// <item><c>aggregate</c>: one figure per aggregation, named <c>alias</c> or else <c>field</c>: <c>sum</c>, <c>avg</c>,
/// <c>min</c>, <c>max</c> over the numeric values of the field (<c>avg</c>, <c>min</c>, <c>max</c> are null when
/// there are none, <c>sum</c> is 0); <c>count</c> counts the items where the field is present and not null.</item>
/// <item><c>set</c>: <c>mapping</c> filled in once in the step's scope; the input is ignored.</item>
/// </list>
/// </remarks>
internal static class TransformOperations
{
    public const string InputNotAListCode = "TRANSFORM_INPUT_NOT_A_LIST";
    public const string ConfigMissingCode = "TRANSFORM_CONFIG_MISSING";

    public static ValueResult Apply(TransformStep step, JsonElement input, ValueScope scope)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(scope);
        var config = step.Config;
        if (step.Operation == TransformOperation.Set)
        {
            return config?.Mapping is { } setMapping
                ? ValueResult.Ok(TemplateEvaluator.Evaluate(setMapping, scope))
                : Missing(step, "mapping");
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return ValueResult.Fail(
                InputNotAListCode,
                $"Transform step '{step.Id}' ({Name(step.Operation)}) needs a list as input, but got {JsonKinds.Describe(input)}.");
        }

        switch (step.Operation)
        {
            case TransformOperation.Map:
                return config?.Mapping is { } mapping ? ValueResult.Ok(Map(input, CompileMapping(mapping), scope)) : Missing(step, "mapping");
            case TransformOperation.Filter:
                return ValueResult.Ok(Filter(input, config?.Condition, scope));
            case TransformOperation.Reduce:
                return config?.Reducer is { } reducer
                    ? ValueResult.Ok(Reduce(input, reducer, FieldOrNull(config.Field), TemplateEvaluator.Evaluate(config.InitialValue, scope)))
                    : Missing(step, "reducer");
            case TransformOperation.Sort:
                return ValueResult.Ok(Sort(input, FieldOrNull(config?.Field), config?.Order ?? SortOrder.Ascending));
            case TransformOperation.Group:
                return config?.Field is { } field ? ValueResult.Ok(Group(input, FieldPath.Parse(field))) : Missing(step, "field");
            case TransformOperation.Aggregate:
                return ValueResult.Ok(Aggregate(input, config?.Aggregations ?? default));
            default:
                return ValueResult.Fail(ConfigMissingCode, $"Transform step '{step.Id}' has an unknown operation '{step.Operation}'.");
        }
    }

    private static ValueResult Missing(TransformStep step, string setting) => ValueResult.Fail(
        ConfigMissingCode,
        $"Transform step '{step.Id}' ({Name(step.Operation)}) needs config.{setting}.");

    private static string Name(TransformOperation operation) => operation switch
    {
        TransformOperation.Map => "map",
        TransformOperation.Filter => "filter",
        TransformOperation.Reduce => "reduce",
        TransformOperation.Sort => "sort",
        TransformOperation.Group => "group",
        TransformOperation.Aggregate => "aggregate",
        _ => "set",
    };

    private static PathSegment[]? FieldOrNull(string? field) => field is null ? null : FieldPath.Parse(field);

    private static JsonElement ReadField(JsonElement item, PathSegment[]? field) => field is null ? item : FieldPath.Read(item, field);

    private static JsonElement Map(JsonElement list, TemplateValue mapping, ValueScope scope) => JsonValues.Write(
        static (writer, state) =>
        {
            writer.WriteStartArray();
            var index = 0;
            foreach (var item in state.list.EnumerateArray())
            {
                var value = TemplateEvaluator.Evaluate(state.mapping, new ItemScope(state.scope, item, index++));
                (value.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : value).WriteTo(writer);
            }

            writer.WriteEndArray();
        },
        (list, mapping, scope));

    /// <summary>Turns the mapping's plain strings into references to the item, once, before the per-item loop.</summary>
    private static TemplateValue CompileMapping(TemplateValue mapping)
    {
        switch (mapping)
        {
            case LiteralValue literal:
                return literal.Value.ValueKind is JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Array
                    ? CompileLiteral(literal.Value)
                    : literal;
            case ObjectTemplate obj:
                var properties = new TemplateProperty[obj.Properties.Count];
                for (var i = 0; i < properties.Length; i++)
                {
                    properties[i] = new TemplateProperty(obj.Properties[i].Name, CompileMapping(obj.Properties[i].Value));
                }

                return new ObjectTemplate(properties);
            case ArrayTemplate array:
                var items = new TemplateValue[array.Items.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = CompileMapping(array.Items[i]);
                }

                return new ArrayTemplate(items);
            default:
                return mapping; // References and text templates already say what they read.
        }
    }

    private static TemplateValue CompileLiteral(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return FieldPath.TryParse(value.GetString()!, out var segments)
                    ? new ReferenceValue(new ReferencePath(ItemScope.ItemName, segments))
                    : new LiteralValue(value);
            case JsonValueKind.Object:
                var properties = new List<TemplateProperty>();
                foreach (var property in value.EnumerateObject())
                {
                    properties.Add(new TemplateProperty(property.Name, CompileLiteral(property.Value)));
                }

                return new ObjectTemplate(properties);
            case JsonValueKind.Array:
                var items = new List<TemplateValue>();
                foreach (var item in value.EnumerateArray())
                {
                    items.Add(CompileLiteral(item));
                }

                return new ArrayTemplate(items);
            default:
                return new LiteralValue(value);
        }
    }

    private static JsonElement Filter(JsonElement list, Condition? condition, ValueScope scope) => JsonValues.Write(
        static (writer, state) =>
        {
            writer.WriteStartArray();
            var index = 0;
            foreach (var item in state.list.EnumerateArray())
            {
                var keep = state.condition is null
                    ? JsonValues.IsTruthy(item)
                    : ConditionEvaluator.Evaluate(state.condition, new ItemScope(state.scope, item, index));
                index++;
                if (keep)
                {
                    item.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
        },
        (list, condition, scope));

    private static JsonElement Reduce(JsonElement list, ReducerKind reducer, PathSegment[]? field, JsonElement initial)
    {
        switch (reducer)
        {
            case ReducerKind.Sum:
            {
                var sum = JsonValues.TryGetNumber(initial, out var start) ? start : 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (JsonValues.TryGetNumber(ReadField(item, field), out var number))
                    {
                        sum += number;
                    }
                }

                return JsonValues.FromNumber(sum);
            }

            case ReducerKind.Count:
            {
                var count = JsonValues.TryGetNumber(initial, out var start) ? start : 0;
                foreach (var item in list.EnumerateArray())
                {
                    if (field is null || !JsonKinds.IsNullOrMissing(FieldPath.Read(item, field)))
                    {
                        count++;
                    }
                }

                return JsonValues.FromNumber(count);
            }

            case ReducerKind.Concat when initial.ValueKind == JsonValueKind.String:
            {
                var builder = new StringBuilder(initial.GetString());
                foreach (var item in list.EnumerateArray())
                {
                    builder.Append(JsonValues.ToText(ReadField(item, field)));
                }

                return JsonValues.FromString(builder.ToString());
            }

            case ReducerKind.Concat:
                return JsonValues.Write(
                    static (writer, state) =>
                    {
                        writer.WriteStartArray();
                        WriteFlattened(writer, state.initial);
                        foreach (var item in state.list.EnumerateArray())
                        {
                            WriteFlattened(writer, ReadField(item, state.field));
                        }

                        writer.WriteEndArray();
                    },
                    (list, field, initial));

            default:
            {
                var merged = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
                ObjectMerger.AddProperties(merged, initial);
                foreach (var item in list.EnumerateArray())
                {
                    ObjectMerger.AddProperties(merged, ReadField(item, field));
                }

                return ObjectMerger.Write(merged);
            }
        }
    }

    private static void WriteFlattened(Utf8JsonWriter writer, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                element.WriteTo(writer);
            }
        }
        else if (!JsonKinds.IsNullOrMissing(value))
        {
            value.WriteTo(writer);
        }
    }

    private static JsonElement Sort(JsonElement list, PathSegment[]? field, SortOrder order)
    {
        var keys = new SortKey[list.GetArrayLength()];
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            keys[index] = SortKey.Create(item, ReadField(item, field), index);
            index++;
        }

        var descending = order == SortOrder.Descending;
        Array.Sort(keys, (a, b) => SortKey.Compare(a, b, descending));
        return JsonValues.Write(
            static (writer, sorted) =>
            {
                writer.WriteStartArray();
                foreach (var key in sorted)
                {
                    key.Item.WriteTo(writer);
                }

                writer.WriteEndArray();
            },
            keys);
    }

    private static JsonElement Group(JsonElement list, PathSegment[] field)
    {
        var groups = new OrderedDictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        foreach (var item in list.EnumerateArray())
        {
            var key = JsonValues.ToText(FieldPath.Read(item, field));
            if (!groups.TryGetValue(key, out var members))
            {
                members = [];
                groups.Add(key, members);
            }

            members.Add(item);
        }

        return JsonValues.Write(
            static (writer, groups) =>
            {
                writer.WriteStartObject();
                foreach (var group in groups)
                {
                    writer.WriteStartArray(group.Key);
                    foreach (var item in group.Value)
                    {
                        item.WriteTo(writer);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            },
            groups);
    }

    private static JsonElement Aggregate(JsonElement list, EquatableArray<Aggregation> aggregations)
    {
        var count = aggregations.Count;
        var fields = new PathSegment[count][];
        var figures = new Figures[count];
        for (var i = 0; i < count; i++)
        {
            fields[i] = FieldPath.Parse(aggregations[i].Field);
            figures[i] = new Figures { Min = double.PositiveInfinity, Max = double.NegativeInfinity };
        }

        foreach (var item in list.EnumerateArray())
        {
            for (var i = 0; i < count; i++)
            {
                var value = FieldPath.Read(item, fields[i]);
                ref var figure = ref figures[i];
                if (!JsonKinds.IsNullOrMissing(value))
                {
                    figure.Present++;
                }

                if (JsonValues.TryGetNumber(value, out var number))
                {
                    figure.Numbers++;
                    figure.Sum += number;
                    figure.Min = Math.Min(figure.Min, number);
                    figure.Max = Math.Max(figure.Max, number);
                }
            }
        }

        return JsonValues.Write(
            static (writer, state) =>
            {
                writer.WriteStartObject();
                for (var i = 0; i < state.figures.Length; i++)
                {
                    var aggregation = state.aggregations[i];
                    var figure = state.figures[i];
                    writer.WritePropertyName(aggregation.Alias ?? aggregation.Field);
                    switch (aggregation.Operation)
                    {
                        case AggregateFunction.Count:
                            writer.WriteNumberValue(figure.Present);
                            break;
                        case AggregateFunction.Sum:
                            writer.WriteNumberValue(figure.Sum);
                            break;
                        case AggregateFunction.Average when figure.Numbers > 0:
                            writer.WriteNumberValue(figure.Sum / figure.Numbers);
                            break;
                        case AggregateFunction.Min when figure.Numbers > 0:
                            writer.WriteNumberValue(figure.Min);
                            break;
                        case AggregateFunction.Max when figure.Numbers > 0:
                            writer.WriteNumberValue(figure.Max);
                            break;
                        default:
                            writer.WriteNullValue();
                            break;
                    }
                }

                writer.WriteEndObject();
            },
            (figures, aggregations));
    }

    private struct Figures
    {
        public long Present;
        public long Numbers;
        public double Sum;
        public double Min;
        public double Max;
    }

    private readonly record struct SortKey(JsonElement Item, int Rank, double Number, string? Text, int Index)
    {
        public static SortKey Create(JsonElement item, JsonElement key, int index)
        {
            if (JsonValues.TryGetNumber(key, out var number))
            {
                return new SortKey(item, 0, number, null, index);
            }

            return key.ValueKind == JsonValueKind.String
                ? new SortKey(item, 1, 0, key.GetString(), index)
                : new SortKey(item, 2, 0, null, index);
        }

        public static int Compare(SortKey a, SortKey b, bool descending)
        {
            if (a.Rank != b.Rank)
            {
                return a.Rank.CompareTo(b.Rank);
            }

            var order = a.Rank switch
            {
                0 => a.Number.CompareTo(b.Number),
                1 => string.CompareOrdinal(a.Text, b.Text),
                _ => 0,
            };
            if (descending)
            {
                order = -order;
            }

            // The input position breaks ties, which makes the unstable Array.Sort stable.
            return order != 0 ? order : a.Index.CompareTo(b.Index);
        }
    }
}
