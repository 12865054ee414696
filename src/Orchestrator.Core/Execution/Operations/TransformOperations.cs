using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// strings ordinally, then everything else in input order; <c>desc</c> reverses the order among numbers and among
/// strings, but numbers still come before strings and the rest stays last. Stable: equal keys keep input order.</item>
/// <item><c>group</c>: by the text of <c>item[field]</c> (or <c>group_by</c>, <c>rules.group_by</c>), groups in order of
/// first appearance; items whose value is missing or null belong to no group. The result is
/// <c>{grouped: {name: items}, groups: [{key, items, count}], keys, count}</c> plus each group by name (never over those
/// four), or <c>[{key, items}]</c> with <c>output_format: "array"</c> or an array <c>output_schema</c> (see GroupFormat).</item>
/// <item><c>aggregate</c>: one figure per aggregation, named <c>alias</c> or else <c>field</c>: <c>sum</c>, <c>avg</c>,
/// <c>min</c>, <c>max</c> over the numeric values of the field (<c>avg</c>, <c>min</c>, <c>max</c> are null when
/// there are none, <c>sum</c> is 0); <c>count</c> counts the items where the field is present and not null.</item>
/// <item><c>set</c>: <c>mapping</c> filled in once in the step's scope; without a mapping, the input itself.</item>
/// <item>Figures of <c>aggregate</c> without <c>alias</c> are named after the field, or <c>field_function</c> when the
/// field is aggregated more than once. <c>sort</c> also takes <c>sort_by</c> (a field, or a list of
/// <c>{field, direction}</c>). <c>map</c> also takes <c>field_mapping</c>, <c>columns</c> and <c>expression</c>;
/// <c>reduce</c> takes <c>reduce_operation</c> for <c>reducer</c>. Other operations: <see cref="CompilerTransformOperations"/>.</item>
/// <item><c>_on_empty: "throw"</c> (on the step or in <c>config</c>) fails the step with <c>TRANSFORM_EMPTY_RESULT</c>
/// when a non-empty list gives an empty list.</item>
/// </list>
/// </remarks>
internal static class TransformOperations
{
    public const string InputNotAListCode = "TRANSFORM_INPUT_NOT_A_LIST";
    public const string ConfigMissingCode = "TRANSFORM_CONFIG_MISSING";

    public const string EmptyResultCode = "TRANSFORM_EMPTY_RESULT";

    public static ValueResult Apply(TransformStep step, JsonElement input, ValueScope scope)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(scope);
        var onEmpty = step.OnEmpty ?? CompilerTransformOperations.Text(step, "_on_empty");
        if (onEmpty is not (null or "throw" or "warn"))
        {
            return ValueResult.Fail(
                CompilerTransformOperations.ConfigInvalidCode,
                $"Transform step '{step.Id}' has an unknown _on_empty '{onEmpty}'; known: throw, warn.");
        }

        var result = ApplyOperation(step, input, scope);
        if (onEmpty == "throw" && result.Success
            && input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0
            && result.Value.ValueKind == JsonValueKind.Array && result.Value.GetArrayLength() == 0)
        {
            return ValueResult.Fail(
                EmptyResultCode,
                $"Transform step '{step.Id}' ({Name(step.Operation)}) gave an empty list from {input.GetArrayLength()} item(s), and _on_empty is \"throw\".");
        }

        return result;
    }

    private static ValueResult ApplyOperation(TransformStep step, JsonElement input, ValueScope scope)
    {
        var config = step.Config;
        if (step.Operation == TransformOperation.Set)
        {
            // Without a mapping, set is the identity on its input (a missing value is null).
            return ValueResult.Ok(config?.Mapping is { } setMapping
                ? TemplateEvaluator.Evaluate(setMapping, scope)
                : input.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : input);
        }

        if (step.Operation is TransformOperation.Select or TransformOperation.WithFields)
        {
            return CompilerTransformOperations.Apply(step, input, scope);
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
                if ((config?.Mapping ?? FieldMapping(step)) is { } mapping)
                {
                    return ValueResult.Ok(Map(input, CompileMapping(mapping), scope));
                }

                return CompilerTransformOperations.TryMap(step, input, scope) ?? Missing(step, "mapping");
            case TransformOperation.Filter:
                return ValueResult.Ok(Filter(input, config?.Condition, scope));
            case TransformOperation.Reduce:
                var reducer = config?.Reducer ?? ReducerFromSetting(CompilerTransformOperations.Text(step, "reduce_operation"));
                return reducer is { } kind
                    ? ValueResult.Ok(Reduce(input, kind, FieldOrNull(config?.Field), TemplateEvaluator.Evaluate(config?.InitialValue, scope)))
                    : Missing(step, "reducer");
            case TransformOperation.Sort:
                return ValueResult.Ok(Sort(input, SortKeys(step)));
            case TransformOperation.Group:
                return GroupField(step) is { } field ? ValueResult.Ok(Group(step, input, FieldPath.Parse(field))) : Missing(step, "field");
            case TransformOperation.Aggregate:
                return ValueResult.Ok(Aggregate(input, config?.Aggregations ?? default));
            default:
                return CompilerTransformOperations.Apply(step, input, scope);
        }
    }

    /// <summary>
    /// <c>field_mapping</c>: the compiler's name for <c>mapping</c>. A plain string is a field of the item, whole, even
    /// when it is no path (a sheet header such as <c>"Lead Name"</c>); a <c>{{...}}</c> template stays a template.
    /// When every key is a sheet column (<c>column_A</c>, <c>column_B</c>, ...) each item becomes a row (a list).
    /// </summary>
    private static TemplateValue? FieldMapping(TransformStep step)
    {
        var raw = CompilerTransformOperations.Setting(step, "field_mapping");
        if (raw.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var properties = new List<TemplateProperty>();
        foreach (var property in raw.EnumerateObject())
        {
            var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : null;
            properties.Add(new TemplateProperty(
                property.Name,
                text is not null && !text.Contains("{{", StringComparison.Ordinal) && !FieldPath.TryParse(text, out _)
                    ? WholeFieldOfItem(text)
                    : TemplateValue.Parse(property.Value)));
        }

        if (properties.Count > 0 && properties.TrueForAll(p => SheetColumn(p.Name) > 0))
        {
            // Keys column_A, column_B, ... (what the compiler emits to feed append_rows): each item becomes a row,
            // its values in column order.
            properties.Sort((a, b) => SheetColumn(a.Name).CompareTo(SheetColumn(b.Name)));
            return new ArrayTemplate(properties.ConvertAll(p => p.Value));
        }

        return new ObjectTemplate(properties);
    }

    /// <summary>The 1-based column number of a <c>column_A</c> .. <c>column_ZZ</c> key; 0 for any other key.</summary>
    private static int SheetColumn(string key)
    {
        const string Prefix = "column_";
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length == Prefix.Length || key.Length > Prefix.Length + 2)
        {
            return 0;
        }

        var number = 0;
        foreach (var c in key.AsSpan(Prefix.Length))
        {
            if (c is < 'A' or > 'Z')
            {
                return 0;
            }

            number = (number * 26) + (c - 'A' + 1);
        }

        return number;
    }

    private static ReferenceValue WholeFieldOfItem(string name)
    {
        PathSegment[] segments = [PathSegment.Property(name)];
        return new ReferenceValue(new ReferencePath(ItemScope.ItemName, segments));
    }

    private static ReducerKind? ReducerFromSetting(string? name) => name switch
    {
        "sum" => ReducerKind.Sum,
        "count" => ReducerKind.Count,
        "concat" => ReducerKind.Concat,
        "merge" => ReducerKind.Merge,
        _ => null,
    };

    /// <summary>The group field: <c>field</c>, else <c>group_by</c>, else <c>rules.group_by</c>.</summary>
    private static string? GroupField(TransformStep step)
    {
        if (step.Config?.Field is { } field)
        {
            return field;
        }

        if (CompilerTransformOperations.Text(step, "group_by") is { } groupBy)
        {
            return groupBy;
        }

        var rules = CompilerTransformOperations.Setting(step, "rules");
        return rules.ValueKind == JsonValueKind.Object && rules.TryGetProperty("group_by", out var g) && g.ValueKind == JsonValueKind.String
            ? g.GetString()
            : null;
    }

    /// <summary>The sort keys: <c>field</c> and <c>order</c>, or <c>sort_by</c> (a field, or a list of <c>{field, direction}</c>).</summary>
    private static (PathSegment[]? Field, bool Descending)[] SortKeys(TransformStep step)
    {
        var config = step.Config;
        var descending = config?.Order == SortOrder.Descending;
        var sortBy = CompilerTransformOperations.Setting(step, "sort_by");
        if (config?.Field is null && sortBy.ValueKind == JsonValueKind.String)
        {
            return [(FieldPath.Parse(sortBy.GetString()!), descending)];
        }

        if (config?.Field is null && sortBy.ValueKind == JsonValueKind.Array)
        {
            var keys = new List<(PathSegment[]?, bool)>();
            foreach (var key in sortBy.EnumerateArray())
            {
                if (key.ValueKind == JsonValueKind.String)
                {
                    keys.Add((FieldPath.Parse(key.GetString()!), descending));
                }
                else if (key.ValueKind == JsonValueKind.Object && key.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String)
                {
                    var direction = key.TryGetProperty("direction", out var d) ? d : key.TryGetProperty("order", out var o) ? o : default;
                    keys.Add((FieldPath.Parse(f.GetString()!), direction.ValueKind == JsonValueKind.String
                        ? direction.GetString() is "desc" or "descending"
                        : descending));
                }
            }

            return [.. keys];
        }

        return [(FieldOrNull(config?.Field), descending)];
    }

    private static ValueResult Missing(TransformStep step, string setting) => ValueResult.Fail(
        ConfigMissingCode,
        $"Transform step '{step.Id}' ({Name(step.Operation)}) needs config.{setting}.");

    private static string Name(TransformOperation operation) => Serialization.TransformOperationNames.ToName(operation);

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

    private static JsonElement Sort(JsonElement list, (PathSegment[]? Field, bool Descending)[] sortKeys)
    {
        var keys = new SortKey[list.GetArrayLength()][];
        var items = new JsonElement[keys.Length];
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var row = new SortKey[sortKeys.Length];
            for (var k = 0; k < sortKeys.Length; k++)
            {
                row[k] = SortKey.Create(item, ReadField(item, sortKeys[k].Field), index);
            }

            keys[index] = row;
            items[index] = item;
            index++;
        }

        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            for (var k = 0; k < sortKeys.Length; k++)
            {
                var c = SortKey.CompareKeys(keys[a][k], keys[b][k], sortKeys[k].Descending);
                if (c != 0)
                {
                    return c;
                }
            }

            // The input position breaks ties, which makes the unstable Array.Sort stable.
            return a.CompareTo(b);
        });
        return JsonValues.Write(
            static (writer, state) =>
            {
                writer.WriteStartArray();
                foreach (var i in state.order)
                {
                    state.items[i].WriteTo(writer);
                }

                writer.WriteEndArray();
            },
            (order, items));
    }

    private static JsonElement Group(TransformStep step, JsonElement list, PathSegment[] field)
    {
        var groups = new OrderedDictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        foreach (var item in list.EnumerateArray())
        {
            var value = FieldPath.Read(item, field);
            if (JsonKinds.IsNullOrMissing(value) || (value.ValueKind == JsonValueKind.String && value.ValueEquals(string.Empty)))
            {
                continue; // An item without a value for the field (a blank sheet cell is "") belongs to no group.
            }

            var key = JsonValues.ToText(value);
            if (!groups.TryGetValue(key, out var members))
            {
                members = [];
                groups.Add(key, members);
            }

            members.Add(item);
        }

        var (asArray, keyField, itemsField) = GroupFormat(step);
        if (asArray)
        {
            var array = new System.Text.Json.Nodes.JsonArray();
            foreach (var group in groups)
            {
                array.Add((JsonNode?)(new System.Text.Json.Nodes.JsonObject
                {
                    [keyField] = group.Key,
                    [itemsField] = Members(group.Value),
                }));
            }

            return CompilerTransformOperations.ToElement(array);
        }

        // The object form: grouped (name -> items), groups ({key, items, count}), keys, count, and each group by name
        // at the top level too, unless its name is one of those four (a group never overwrites them).
        var grouped = new System.Text.Json.Nodes.JsonObject();
        var list2 = new System.Text.Json.Nodes.JsonArray();
        var keys = new System.Text.Json.Nodes.JsonArray();
        foreach (var group in groups)
        {
            grouped[group.Key] = Members(group.Value);
            list2.Add((JsonNode?)(new System.Text.Json.Nodes.JsonObject { ["key"] = group.Key, ["items"] = Members(group.Value), ["count"] = group.Value.Count }));
            keys.Add((JsonNode?)(group.Key));
        }

        var result = new System.Text.Json.Nodes.JsonObject
        {
            ["grouped"] = grouped,
            ["groups"] = list2,
            ["keys"] = keys,
            ["count"] = groups.Count,
        };
        foreach (var group in groups)
        {
            if (group.Key is not ("grouped" or "groups" or "keys" or "count"))
            {
                result[group.Key] = Members(group.Value);
            }
        }

        return CompilerTransformOperations.ToElement(result);
    }

    private static System.Text.Json.Nodes.JsonArray Members(List<JsonElement> members)
    {
        var array = new System.Text.Json.Nodes.JsonArray();
        foreach (var member in members)
        {
            array.Add(CompilerTransformOperations.Node(member));
        }

        return array;
    }

    /// <summary>
    /// The group result's shape: <c>output_format: "array"</c> gives <c>[{key_field, items_field}]</c> (defaults
    /// <c>key</c>, <c>items</c>); so does a <c>config.output_schema</c> of type array, whose item properties name the key
    /// (the first non-array one) and the items (the first array one).
    /// </summary>
    private static (bool AsArray, string KeyField, string ItemsField) GroupFormat(TransformStep step)
    {
        var keyField = CompilerTransformOperations.Text(step, "key_field");
        var itemsField = CompilerTransformOperations.Text(step, "items_field");
        var format = CompilerTransformOperations.Text(step, "output_format");
        var schema = CompilerTransformOperations.Setting(step, "output_schema");
        var asArray = format == "array";
        if (format is null && schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "array")
        {
            asArray = true;
            if (schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object
                && items.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    var isArray = property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("type", out var t)
                        && t.ValueKind == JsonValueKind.String && t.GetString() == "array";
                    if (isArray)
                    {
                        itemsField ??= property.Name;
                    }
                    else
                    {
                        keyField ??= property.Name;
                    }
                }
            }
        }

        return (asArray, keyField ?? "key", itemsField ?? "items");
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
                    writer.WritePropertyName(aggregation.Alias ?? (state.repeated.Contains(aggregation.Field)
                        ? aggregation.Field + "_" + FunctionName(aggregation.Operation)
                        : aggregation.Field));
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
            (figures, aggregations, repeated: RepeatedFields(aggregations)));
    }

    /// <summary>The fields aggregated more than once without an alias: their figures are named <c>field_function</c>.</summary>
    private static HashSet<string> RepeatedFields(EquatableArray<Aggregation> aggregations)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var aggregation in aggregations)
        {
            if (aggregation.Alias is null && !seen.Add(aggregation.Field))
            {
                repeated.Add(aggregation.Field);
            }
        }

        return repeated;
    }

    private static string FunctionName(AggregateFunction function) => function switch
    {
        AggregateFunction.Sum => "sum",
        AggregateFunction.Average => "avg",
        AggregateFunction.Min => "min",
        AggregateFunction.Max => "max",
        _ => "count",
    };

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

        /// <summary>Orders two keys of one sort level; 0 when equal (the caller breaks ties).</summary>
        public static int CompareKeys(SortKey a, SortKey b, bool descending)
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
            return descending ? -order : order;
        }
    }
}
