using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// The transform operations agent platforms' workflow compiler writes, with their <c>config</c> settings (read from
/// <see cref="TransformConfig.Settings"/>). Every one but <c>select</c> needs a list.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>select</c>: <c>fields</c> as an object of templates gives that object (filled in in the step's scope); as a
/// list of names, each item (or the input object) keeps only those fields.</item>
/// <item><c>flatten</c>: without <c>field</c>, nested lists are spliced one level; with <c>field</c>, each element of the
/// item's list (or its single object) becomes a row carrying the parent's other fields (the element's own fields win);
/// items without elements give no row.</item>
/// <item><c>rows_to_objects</c>: a 2-D list to objects. Headers are <c>headers</c>, or row <c>header_row</c> (1-based),
/// or else the first row with as many non-empty cells as the widest row; names are trimmed and lowercased with spaces as
/// <c>_</c> unless <c>preserve_case</c>; blank rows are skipped.</item>
/// <item><c>with_fields</c>: each object item gains <c>fields[i].name</c> = <see cref="TypedExpressionEvaluator"/> of
/// <c>fields[i].expression</c>, with the item in scope.</item>
/// <item><c>project_column</c>: <c>column</c> <c>by_field</c> / <c>by_field_path</c> read each item's field (null when
/// absent); <c>by_index</c> reads a cell of each row, and fails on a row that is not a list.</item>
/// <item><c>set_difference</c>: the items whose <c>key_field</c> is not among the keys of <c>reference</c> (its
/// elements' <c>reference_key_field</c>, default the same name, or the elements themselves when they are scalars).</item>
/// <item><c>deduplicate</c> (<c>dedupe</c>): the first of each run of equal values (objects equal whatever their key
/// order), or of equal <c>field</c> values when given.</item>
/// <item><c>split</c>: <c>count</c> chunks (or chunks of <c>chunk_size</c>): <c>{items, chunks, count, chunkSize}</c>.</item>
/// <item><c>expand</c>: nested objects of each item become dotted keys: <c>{items, count}</c>.</item>
/// <item><c>partition</c>: by the text of <c>field</c>: <c>{partitions, assigned, unassigned}</c>; items without a value
/// are unassigned, or dropped with <c>handle_empty: "skip"</c>.</item>
/// <item><c>map</c> with <c>columns</c>: each item becomes the list of those fields' values, headed by
/// <c>header_names</c> (or the column names) when <c>add_headers</c>; with <c>expression</c>: each item becomes the
/// expression's value.</item>
/// </list>
/// </remarks>
internal static class CompilerTransformOperations
{
    public const string ConfigInvalidCode = "TRANSFORM_CONFIG_INVALID";

    /// <summary>The settings these operations (and the on-empty rule) read, known to the loader.</summary>
    public static IReadOnlyList<string> KnownSettings { get; } =
    [
        "fields", "columns", "header_names", "add_headers", "filter_empty", "output_format", "key_field", "items_field",
        "output_schema", "group_by", "rules", "sort_by", "type", "reduce_operation", "expression", "headers", "header_row",
        "preserve_case", "count", "chunk_size", "handle_empty", "column", "reference", "reference_key_field", "field_mapping",
        "_on_empty", "input", "custom_code", "description",
    ];

    public static ValueResult Apply(TransformStep step, JsonElement input, ValueScope scope)
    {
        try
        {
            return step.Operation switch
            {
                TransformOperation.Select => Select(step, input, scope),
                TransformOperation.Flatten => Flatten(step, input),
                TransformOperation.RowsToObjects => RowsToObjects(step, input),
                TransformOperation.WithFields => WithFields(step, input, scope),
                TransformOperation.ProjectColumn => ProjectColumn(step, input),
                TransformOperation.SetDifference => SetDifference(step, input, scope),
                TransformOperation.Deduplicate => Deduplicate(step, input),
                TransformOperation.Split => Split(step, input),
                TransformOperation.Expand => Expand(input),
                TransformOperation.Partition => Partition(step, input),
                _ => ValueResult.Fail(ConfigInvalidCode, $"Transform step '{step.Id}' has an unknown operation '{step.Operation}'."),
            };
        }
        catch (TemplateSyntaxException exception)
        {
            return ValueResult.Fail(ConfigInvalidCode, $"Transform step '{step.Id}': {exception.Message}");
        }
    }

    /// <summary>A setting as written, or undefined.</summary>
    public static JsonElement Setting(TransformStep step, string name) =>
        step.Config?.Settings is { } settings && settings.TryGetValue(name, out var value) ? value : default;

    /// <summary>A setting with its templates filled in, in the step's scope.</summary>
    public static JsonElement Evaluated(TransformStep step, string name, ValueScope scope)
    {
        var raw = Setting(step, name);
        return raw.ValueKind == JsonValueKind.Undefined ? raw : TemplateEvaluator.Evaluate(TemplateValue.Parse(raw), scope);
    }

    public static string? Text(TransformStep step, string name) =>
        Setting(step, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary><c>map</c> with <c>columns</c> (rows of values) or <c>expression</c> (one value per item).</summary>
    public static ValueResult? TryMap(TransformStep step, JsonElement input, ValueScope scope)
    {
        var columns = Setting(step, "columns");
        if (columns.ValueKind == JsonValueKind.Array)
        {
            var names = columns.EnumerateArray().Select(c => JsonValues.ToText(c)).ToArray();
            var rows = new JsonArray();
            if (Setting(step, "add_headers").ValueKind == JsonValueKind.True)
            {
                var headers = Setting(step, "header_names");
                rows.Add(headers.ValueKind == JsonValueKind.Array
                    ? Node(headers)
                    : new JsonArray([.. names.Select(n => (JsonNode?)JsonValue.Create(n))]));
            }

            foreach (var item in input.EnumerateArray())
            {
                var row = new JsonArray();
                foreach (var name in names)
                {
                    row.Add(Node(FieldPath.Read(item, FieldPath.Parse(name))));
                }

                rows.Add((JsonNode?)(row));
            }

            return ValueResult.Ok(ToElement(rows));
        }

        var expression = Setting(step, "expression");
        if (expression.ValueKind != JsonValueKind.Undefined)
        {
            var result = new JsonArray();
            var index = 0;
            foreach (var item in input.EnumerateArray())
            {
                result.Add(Node(TypedExpressionEvaluator.Evaluate(expression, new ItemScope(scope, item, index++))));
            }

            return ValueResult.Ok(ToElement(result));
        }

        return null;
    }

    private static ValueResult Select(TransformStep step, JsonElement input, ValueScope scope)
    {
        var fields = Setting(step, "fields");
        if (fields.ValueKind == JsonValueKind.Object)
        {
            return ValueResult.Ok(NullForMissing(Evaluated(step, "fields", scope)));
        }

        if (fields.ValueKind != JsonValueKind.Array)
        {
            return Missing(step, "fields");
        }

        var names = fields.EnumerateArray().Select(f => JsonValues.ToText(f)).ToArray();
        if (input.ValueKind == JsonValueKind.Object)
        {
            return ValueResult.Ok(ToElement(Pick(input, names)));
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return NotAList(step, input);
        }

        var result = new JsonArray();
        foreach (var item in input.EnumerateArray())
        {
            result.Add(item.ValueKind == JsonValueKind.Object ? Pick(item, names) : Node(item));
        }

        return ValueResult.Ok(ToElement(result));
    }

    private static JsonObject Pick(JsonElement item, string[] names)
    {
        var picked = new JsonObject();
        foreach (var name in names)
        {
            picked[name] = Node(FieldPath.Read(item, FieldPath.Parse(name)));
        }

        return picked;
    }

    private static ValueResult Flatten(TransformStep step, JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Array)
        {
            return NotAList(step, input);
        }

        var result = new JsonArray();
        var field = step.Config?.Field;
        if (field is null)
        {
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Array)
                {
                    foreach (var inner in item.EnumerateArray())
                    {
                        result.Add(Node(inner));
                    }
                }
                else
                {
                    result.Add(Node(item));
                }
            }

            return ValueResult.Ok(ToElement(result));
        }

        var path = FieldPath.Parse(field);
        var last = path[^1].Name;
        foreach (var item in input.EnumerateArray())
        {
            var children = FieldPath.Read(item, path);
            IEnumerable<JsonElement> elements = children.ValueKind switch
            {
                JsonValueKind.Array => children.EnumerateArray(),
                JsonValueKind.Object => [children],
                _ => [],
            };
            foreach (var child in elements)
            {
                if (child.ValueKind != JsonValueKind.Object || item.ValueKind != JsonValueKind.Object)
                {
                    result.Add(Node(child));
                    continue;
                }

                var row = new JsonObject();
                foreach (var property in item.EnumerateObject())
                {
                    if (property.Name != last)
                    {
                        row[property.Name] = Node(property.Value);
                    }
                }

                foreach (var property in child.EnumerateObject())
                {
                    row[property.Name] = Node(property.Value);
                }

                result.Add((JsonNode?)(row));
            }
        }

        return ValueResult.Ok(ToElement(result));
    }

    private static ValueResult RowsToObjects(TransformStep step, JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Array)
        {
            return NotAList(step, input);
        }

        var rows = input.EnumerateArray().ToArray();
        string[] headers;
        int first;
        var explicitHeaders = Setting(step, "headers");
        var preserveCase = Setting(step, "preserve_case").ValueKind == JsonValueKind.True;
        if (explicitHeaders.ValueKind == JsonValueKind.Array)
        {
            headers = [.. explicitHeaders.EnumerateArray().Select(h => JsonValues.ToText(h))];
            first = 0;
        }
        else
        {
            var headerRow = Setting(step, "header_row");
            int index;
            if (JsonValues.TryGetNumber(headerRow, out var number))
            {
                index = (int)number - 1;
            }
            else
            {
                var widest = rows.Length == 0 ? 0 : rows.Max(NonEmptyCells);
                index = Array.FindIndex(rows, r => NonEmptyCells(r) == widest);
            }

            if (index < 0 || index >= rows.Length || rows[index].ValueKind != JsonValueKind.Array)
            {
                return ValueResult.Ok(JsonValues.EmptyArray);
            }

            headers = [.. rows[index].EnumerateArray().Select(h => HeaderName(JsonValues.ToText(h), preserveCase))];
            first = index + 1;
        }

        var result = new JsonArray();
        for (var r = first; r < rows.Length; r++)
        {
            if (rows[r].ValueKind != JsonValueKind.Array || NonEmptyCells(rows[r]) == 0)
            {
                continue;
            }

            var cells = rows[r].EnumerateArray().ToArray();
            var row = new JsonObject();
            for (var c = 0; c < headers.Length; c++)
            {
                if (headers[c].Length > 0)
                {
                    row[headers[c]] = c < cells.Length ? Node(cells[c]) : null;
                }
            }

            result.Add((JsonNode?)(row));
        }

        return ValueResult.Ok(ToElement(result));
    }

    private static int NonEmptyCells(JsonElement row) =>
        row.ValueKind == JsonValueKind.Array ? row.EnumerateArray().Count(c => !JsonValues.IsEmpty(c) && !(c.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(c.GetString()))) : 0;

    private static string HeaderName(string text, bool preserveCase)
    {
        var trimmed = text.Trim();
        return preserveCase ? trimmed : string.Join('_', trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
    }

    private static ValueResult WithFields(TransformStep step, JsonElement input, ValueScope scope)
    {
        var fields = Setting(step, "fields");
        if (fields.ValueKind != JsonValueKind.Array)
        {
            return Missing(step, "fields");
        }

        var single = input.ValueKind == JsonValueKind.Object;
        if (!single && input.ValueKind != JsonValueKind.Array)
        {
            return NotAList(step, input);
        }

        var result = new JsonArray();
        var index = 0;
        IEnumerable<JsonElement> items = single ? [input] : input.EnumerateArray();
        foreach (var item in items)
        {
            var itemScope = new ItemScope(scope, item, index++);
            var row = item.ValueKind == JsonValueKind.Object ? (JsonObject)Node(item)! : new JsonObject { ["value"] = Node(item) };
            foreach (var field in fields.EnumerateArray())
            {
                if (!field.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    throw new TemplateSyntaxException("Each of 'fields' needs a 'name'.");
                }

                row[name.GetString()!] = field.TryGetProperty("expression", out var expression)
                    ? Node(TypedExpressionEvaluator.Evaluate(expression, itemScope))
                    : field.TryGetProperty("value", out var value) ? Node(TypedExpressionEvaluator.Evaluate(value, itemScope)) : null;
            }

            result.Add((JsonNode?)(row));
        }

        return ValueResult.Ok(single ? ToElement(result[0]) : ToElement(result));
    }

    private static ValueResult ProjectColumn(TransformStep step, JsonElement input)
    {
        var column = Setting(step, "column");
        if (column.ValueKind != JsonValueKind.Object || !column.TryGetProperty("kind", out var kind))
        {
            return Missing(step, "column");
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return NotAList(step, input);
        }

        var result = new JsonArray();
        switch (kind.GetString())
        {
            case "by_field" or "by_field_path":
                var path = column.TryGetProperty("field", out var f) ? f : column.TryGetProperty("path", out var p) ? p : default;
                if (path.ValueKind != JsonValueKind.String)
                {
                    return Missing(step, "column.field");
                }

                var segments = FieldPath.Parse(path.GetString()!);
                foreach (var item in input.EnumerateArray())
                {
                    result.Add(Node(FieldPath.Read(item, segments)));
                }

                break;
            case "by_index":
                if (!column.TryGetProperty("index", out var i) || !JsonValues.TryGetNumber(i, out var number))
                {
                    return Missing(step, "column.index");
                }

                foreach (var item in input.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        // A row object (what rows_to_objects makes of a sheet range) keeps its columns in
                        // document order, so column i is its i-th field: by_index reads it.
                        result.Add(Node(FieldAt(item, number)));
                        continue;
                    }

                    if (item.ValueKind != JsonValueKind.Array)
                    {
                        return ValueResult.Fail(
                            TransformOperations.InputNotAListCode,
                            $"Transform step '{step.Id}' (project_column by_index) needs rows that are lists or row objects, but got {JsonKinds.Describe(item)}.");
                    }

                    result.Add((int)number < item.GetArrayLength() && number >= 0 ? Node(item[(int)number]) : null);
                }

                break;
            default:
                return ValueResult.Fail(ConfigInvalidCode, $"Transform step '{step.Id}' has an unknown column kind '{kind}'; known: by_field, by_field_path, by_index.");
        }

        return ValueResult.Ok(ToElement(result));
    }

    private static JsonElement FieldAt(JsonElement row, double index)
    {
        var position = 0;
        foreach (var property in row.EnumerateObject())
        {
            if (position == index)
            {
                return property.Value;
            }

            position++;
        }

        return default;
    }

    private static ValueResult SetDifference(TransformStep step, JsonElement input, ValueScope scope)
    {
        var keyField = Text(step, "key_field");
        if (keyField is null)
        {
            return Missing(step, "key_field");
        }

        var reference = Evaluated(step, "reference", scope);
        if (Setting(step, "reference").ValueKind == JsonValueKind.Undefined)
        {
            return Missing(step, "reference");
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return NotAList(step, input);
        }

        var referenceKey = FieldPath.Parse(Text(step, "reference_key_field") ?? keyField);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (reference.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in reference.EnumerateArray())
            {
                var key = element.ValueKind == JsonValueKind.Object ? FieldPath.Read(element, referenceKey) : element;
                if (!JsonKinds.IsNullOrMissing(key))
                {
                    seen.Add(JsonValues.ToText(key));
                }
            }
        }

        var path = FieldPath.Parse(keyField);
        var result = new JsonArray();
        foreach (var item in input.EnumerateArray())
        {
            var key = item.ValueKind == JsonValueKind.Object ? FieldPath.Read(item, path) : item;
            if (JsonKinds.IsNullOrMissing(key) || !seen.Contains(JsonValues.ToText(key)))
            {
                result.Add(Node(item));
            }
        }

        return ValueResult.Ok(ToElement(result));
    }

    private static ValueResult Deduplicate(TransformStep step, JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Array)
        {
            return NotAList(step, input);
        }

        var field = step.Config?.Field ?? Text(step, "key_field");
        var path = field is null ? null : FieldPath.Parse(field);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new JsonArray();
        foreach (var item in input.EnumerateArray())
        {
            if (seen.Add(CanonicalKey(path is null ? item : FieldPath.Read(item, path))))
            {
                result.Add(Node(item));
            }
        }

        return ValueResult.Ok(ToElement(result));
    }

    /// <summary>A text equal for equal JSON values: object keys sorted, numbers by value.</summary>
    private static string CanonicalKey(JsonElement value)
    {
        var builder = new StringBuilder();
        AppendCanonical(builder, value);
        return builder.ToString();
    }

    private static void AppendCanonical(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    builder.Append(JsonSerializer.Serialize(property.Name, Serialization.OrchestratorJsonContext.Default.String)).Append(':');
                    AppendCanonical(builder, property.Value);
                    builder.Append(',');
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                foreach (var element in value.EnumerateArray())
                {
                    AppendCanonical(builder, element);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            case JsonValueKind.Number:
                builder.Append(value.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.Undefined:
                builder.Append("null");
                break;
            default:
                builder.Append(value.GetRawText());
                break;
        }
    }

    private static ValueResult Split(TransformStep step, JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Array)
        {
            return NotAList(step, input);
        }

        var length = input.GetArrayLength();
        int size;
        if (JsonValues.TryGetNumber(Setting(step, "chunk_size"), out var chunk) && chunk >= 1)
        {
            size = (int)chunk;
        }
        else if (JsonValues.TryGetNumber(Setting(step, "count"), out var count) && count >= 1)
        {
            size = Math.Max(1, (int)Math.Ceiling(length / count));
        }
        else
        {
            return Missing(step, "count");
        }

        var chunks = new JsonArray();
        JsonArray? current = null;
        foreach (var item in input.EnumerateArray())
        {
            if (current is null || current.Count == size)
            {
                current = [];
                chunks.Add((JsonNode?)(current));
            }

            current.Add(Node(item));
        }

        var result = new JsonObject
        {
            ["items"] = chunks.DeepClone(),
            ["chunks"] = chunks,
            ["count"] = chunks.Count,
            ["chunkSize"] = size,
        };
        return ValueResult.Ok(ToElement(result));
    }

    private static ValueResult Expand(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Array)
        {
            return ValueResult.Fail(TransformOperations.InputNotAListCode, $"A transform 'expand' needs a list as input, but got {JsonKinds.Describe(input)}.");
        }

        var items = new JsonArray();
        foreach (var item in input.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                items.Add(Node(item));
                continue;
            }

            var flat = new JsonObject();
            AddFlattened(flat, string.Empty, item);
            items.Add((JsonNode?)(flat));
        }

        return ValueResult.Ok(ToElement(new JsonObject { ["items"] = items, ["count"] = items.Count }));
    }

    private static void AddFlattened(JsonObject target, string prefix, JsonElement value)
    {
        foreach (var property in value.EnumerateObject())
        {
            var name = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().Any())
            {
                AddFlattened(target, name, property.Value);
            }
            else
            {
                target[name] = Node(property.Value);
            }
        }
    }

    private static ValueResult Partition(TransformStep step, JsonElement input)
    {
        var field = step.Config?.Field;
        if (field is null)
        {
            return Missing(step, "field");
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return NotAList(step, input);
        }

        var skip = Text(step, "handle_empty") == "skip";
        var path = FieldPath.Parse(field);
        var partitions = new JsonObject();
        var unassigned = new JsonArray();
        foreach (var item in input.EnumerateArray())
        {
            var key = FieldPath.Read(item, path);
            if (JsonValues.IsEmpty(key))
            {
                if (!skip)
                {
                    unassigned.Add(Node(item));
                }

                continue;
            }

            var name = JsonValues.ToText(key);
            if (partitions[name] is not JsonArray members)
            {
                members = [];
                partitions[name] = members;
            }

            members.Add(Node(item));
        }

        var assigned = new JsonArray();
        foreach (var partition in partitions)
        {
            foreach (var member in partition.Value!.AsArray())
            {
                assigned.Add(member!.DeepClone());
            }
        }

        return ValueResult.Ok(ToElement(new JsonObject { ["partitions"] = partitions, ["assigned"] = assigned, ["unassigned"] = unassigned }));
    }

    private static JsonElement NullForMissing(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? JsonValues.Null : value;

    public static JsonNode? Node(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : JsonNode.Parse(value.GetRawText());

    public static JsonElement ToElement(JsonNode? node) =>
        node is null ? JsonValues.Null : JsonValues.Write(static (writer, n) => n.WriteTo(writer), node);

    private static ValueResult Missing(TransformStep step, string setting) => ValueResult.Fail(
        TransformOperations.ConfigMissingCode,
        $"Transform step '{step.Id}' ({Serialization.TransformOperationNames.ToName(step.Operation)}) needs config.{setting}.");

    private static ValueResult NotAList(TransformStep step, JsonElement input) => ValueResult.Fail(
        TransformOperations.InputNotAListCode,
        $"Transform step '{step.Id}' ({Serialization.TransformOperationNames.ToName(step.Operation)}) needs a list as input, but got {JsonKinds.Describe(input)}.");
}
