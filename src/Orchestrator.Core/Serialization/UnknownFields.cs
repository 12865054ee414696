using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// Finds the fields loading a step would ignore (warning <c>ORC006</c>): the step's own, those inside its objects
/// (<c>retryPolicy</c>, <c>cache</c>, <c>rollbackAction</c>, <c>scatter</c>, <c>gather</c>, <c>config</c>, items of
/// <c>rules</c>, <c>sources</c>, <c>aggregations</c>), its conditions, a validation <c>schema</c>, and its inner steps
/// at any depth. Free-form values (templates such as <c>params</c> and <c>inputs</c>, literals such as
/// <c>outputSchema</c>, <c>fallback</c> and a condition's <c>value</c>) are never looked into.
/// </summary>
/// <remarks>
/// Known fields come from the generated metadata, so they cannot drift from the model. A document without unknown
/// fields costs one walk that allocates nothing (names are compared as UTF-8 on the stack); paths, ids and messages are
/// built in a second walk only when the first found something.
/// </remarks>
internal static class UnknownFields
{
    /// <summary>Conditions and schemas nested deeper than this fail elsewhere (the condition parser's limit).</summary>
    private const int MaxDepth = ConditionParser.MaxDepth;

    /// <summary>Longer names are looked up through an allocated string.</summary>
    private const int StackNameLength = 64;

    /// <summary>
    /// The decision for fields the model does not have but stored documents carry (see "Stored documents" in
    /// <c>docs/workflow-format.md</c>). The principle: a field that changes what runs is acted on or refused with an
    /// error, never dropped with only a warning. Harmless metadata is accepted without a diagnostic. Any other unknown
    /// field stays a warning (<c>ORC006</c>), with the closest known name, since it is most often a typo.
    /// </summary>
    private static readonly Dictionary<string, string?> s_fieldPolicies = new(StringComparer.Ordinal)
    {
        // Metadata: explains or documents the step, never changes what runs (null: accepted silently).
        ["reasoning"] = null,
        ["input_schema"] = null,
        ["semantic_type"] = null,

        // Behaviour: the platform's runtime acts on these; a version that does not must refuse the document.
        ["_on_empty"] = "it decides whether an empty result fails the step",
    };

    private static readonly Dictionary<Type, Shape> s_objectShapes = [];
    private static readonly Dictionary<string, Shape> s_stepShapes = BuildStepShapes();
    private static readonly Shape s_condition = BuildConditionShape();
    private static readonly Shape s_schema = BuildSchemaShape();

    private enum Kind
    {
        /// <summary>A value not looked into: a scalar, a list of ids, a template or a literal.</summary>
        Plain,

        /// <summary>An object of the model (<c>retryPolicy</c>, <c>scatter</c>, ...).</summary>
        Object,

        /// <summary>A list of objects of the model (<c>rules</c>, <c>sources</c>, <c>aggregations</c>).</summary>
        ObjectList,

        /// <summary>A list of inner steps.</summary>
        Steps,

        /// <summary>A condition (object form; expression strings have no fields).</summary>
        Condition,

        /// <summary>A list of conditions (<c>and</c>, <c>or</c>).</summary>
        ConditionList,

        /// <summary>A validation schema.</summary>
        Schema,

        /// <summary>An object of schemas keyed by property name (a schema's <c>properties</c>).</summary>
        SchemaMap,
    }

    /// <summary>Checks one step read from a workflow's step list, adding a warning for each ignored field.</summary>
    /// <param name="step">The step's JSON, an object.</param>
    /// <param name="type">The step's resolved type name (legacy entries resolved).</param>
    /// <param name="isLegacy">Whether the entry was in the legacy shape (its <c>operation</c> and <c>plugin_action</c> are read).</param>
    /// <param name="warnings">Receives the warnings, with paths relative to the step and the id of an inner step when the field is in one.</param>
    public static void Check(JsonElement step, string type, bool isLegacy, List<FieldWarning> warnings)
    {
        if (!s_stepShapes.TryGetValue(type, out var shape))
        {
            return;
        }

        // First a walk that stops at the first unknown field and builds nothing; only then the one that reports.
        if (WalkStep(step, type, shape, isLegacy, null, null, null))
        {
            WalkStep(step, type, shape, isLegacy, string.Empty, null, warnings);
        }
    }

    /// <summary>
    /// The message of an unknown field: what is ignored, the closest known name when one is close, and (for a step's
    /// objects, whose fields are few) the known names.
    /// </summary>
    /// <param name="name">The unknown field.</param>
    /// <param name="where">Where it is, such as <c>on a 'delay' step</c> or <c>in retryPolicy</c>.</param>
    /// <param name="known">The known names, in the order they are listed.</param>
    /// <param name="listKnown">Whether to list the known names.</param>
    /// <returns>The message.</returns>
    internal static string Message(string name, string where, IReadOnlyList<string> known, bool listKnown)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Unknown field '{name}' {where} is ignored");
        if (Closest(name, known) is { } suggestion)
        {
            builder.Append(CultureInfo.InvariantCulture, $"; did you mean '{suggestion}'?");
        }
        else
        {
            builder.Append('.');
        }

        if (listKnown)
        {
            builder.Append(" Known: ").AppendJoin(", ", known).Append('.');
        }

        return builder.ToString();
    }

    /// <summary>The known name closest to <paramref name="name"/> (case aside), when it is close enough to be a typo of it.</summary>
    internal static string? Closest(string name, IReadOnlyList<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            // A third of the name may differ (maxRetry -> maxRetries, backoff_ms -> backoffMs, tll -> ttl), at least one character.
            var allowed = Math.Max(1, Math.Max(name.Length, candidate.Length) / 3);
            var distance = Distance(name, candidate);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Edit distance ignoring case, where swapping two neighbouring characters is one edit.</summary>
    private static int Distance(string a, string b)
    {
        var rows = new int[3, b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            rows[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var row = i % 3;
            var previous = (i - 1) % 3;
            var beforePrevious = (i - 2 + 3) % 3;
            rows[row, 0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                var value = Math.Min(Math.Min(rows[previous, j] + 1, rows[row, j - 1] + 1), rows[previous, j - 1] + cost);
                if (i > 1 && j > 1
                    && char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 2])
                    && char.ToLowerInvariant(a[i - 2]) == char.ToLowerInvariant(b[j - 1]))
                {
                    value = Math.Min(value, rows[beforePrevious, j - 2] + 1);
                }

                rows[row, j] = value;
            }
        }

        return rows[a.Length % 3, b.Length];
    }

    /// <summary>
    /// Walks one step. With <paramref name="warnings"/> null it returns at the first unknown field and builds no string;
    /// otherwise it reports every one, <paramref name="path"/> being the step's path relative to the top-level step.
    /// </summary>
    private static bool WalkStep(JsonElement step, string type, Shape shape, bool isLegacy, string? path, string? stepId, List<FieldWarning>? warnings)
    {
        var found = false;
        foreach (var property in step.EnumerateObject())
        {
            if (!shape.TryFind(property, out var field))
            {
                if (property.NameEquals("step_id") || property.NameEquals("outputVariable"))
                {
                    // An alias: read as its canonical field (StepJsonReader), reported as information.
                    if (warnings is null)
                    {
                        return true;
                    }

                    found = true;
                    StepJsonReader.IsAlias(property.Name, out var canonical);
                    warnings.Add(new FieldWarning(stepId, $"{path}.{property.Name}", $"'{property.Name}' is read as '{canonical}'.")
                    {
                        Code = Diagnostics.DiagnosticCodes.NormalisedForm,
                        Severity = Diagnostics.DiagnosticSeverity.Info,
                    });
                    continue;
                }

                if (isLegacy && (property.NameEquals("operation") || property.NameEquals("plugin_action") || (type == StepTypeNames.AiProcessing && property.NameEquals("plugin"))))
                {
                    continue;
                }

                var hasPolicy = s_fieldPolicies.TryGetValue(property.Name, out var refusal);
                if (hasPolicy && refusal is null)
                {
                    continue; // Metadata.
                }

                if (warnings is null)
                {
                    return true;
                }

                found = true;
                var name = property.Name;
                warnings.Add(hasPolicy
                    ? Refused(stepId, $"{path}.{name}", name, $"on a '{type}' step", refusal!)
                    : new FieldWarning(stepId, $"{path}.{name}", Message(name, $"on a '{type}' step", shape.Known, listKnown: false)));
                continue;
            }

            if (field.Kind != Kind.Plain && Walk(property.Value, field, Child(path, property), stepId, warnings, 0))
            {
                if (warnings is null)
                {
                    return true;
                }

                found = true;
            }
        }

        return found;
    }

    /// <summary>Walks the value of a known field whose kind has fields of its own.</summary>
    private static bool Walk(JsonElement value, Field field, string? path, string? stepId, List<FieldWarning>? warnings, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        switch (field.Kind)
        {
            case Kind.Object:
                return WalkObject(value, field.Shape!, field.Label, path, stepId, warnings, depth);
            case Kind.Condition:
                return WalkCondition(value, path, stepId, warnings, depth);
            case Kind.Schema:
                return WalkObject(value, s_schema, field.Label, path, stepId, warnings, depth);
            case Kind.ObjectList or Kind.Steps or Kind.ConditionList:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return false;
                }

                var found = false;
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var itemPath = warnings is null ? null : $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";
                    var itemFound = field.Kind switch
                    {
                        Kind.Steps => WalkInnerStep(item, index + 1, itemPath, warnings),
                        Kind.ConditionList => WalkCondition(item, itemPath, stepId, warnings, depth + 1),
                        _ => WalkObject(item, field.Shape!, field.Label, itemPath, stepId, warnings, depth),
                    };
                    if (itemFound)
                    {
                        if (warnings is null)
                        {
                            return true;
                        }

                        found = true;
                    }

                    index++;
                }

                return found;
            case Kind.SchemaMap:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                var anyFound = false;
                foreach (var property in value.EnumerateObject())
                {
                    if (WalkObject(property.Value, s_schema, field.Label, Child(path, property), stepId, warnings, depth + 1))
                    {
                        if (warnings is null)
                        {
                            return true;
                        }

                        anyFound = true;
                    }
                }

                return anyFound;
            default:
                return false;
        }
    }

    private static bool WalkObject(JsonElement value, Shape shape, string label, string? path, string? stepId, List<FieldWarning>? warnings, int depth)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false; // Reading reports a value of the wrong kind.
        }

        var found = false;
        foreach (var property in value.EnumerateObject())
        {
            if (shape.TryFind(property, out var field))
            {
                if (field.Kind == Kind.Plain || !Walk(property.Value, field, Child(path, property), stepId, warnings, depth + 1))
                {
                    continue;
                }
            }
            else
            {
                if (warnings is not null)
                {
                    var name = property.Name;
                    warnings.Add(new FieldWarning(stepId, $"{path}.{name}", Message(name, $"in {label}", shape.Known, listKnown: true)));
                }
            }

            if (warnings is null)
            {
                return true;
            }

            found = true;
        }

        return found;
    }

    private static bool WalkInnerStep(JsonElement step, int position, string? path, List<FieldWarning>? warnings)
    {
        if (step.ValueKind != JsonValueKind.Object || !TryResolveType(step, out var type, out var isLegacy))
        {
            return false; // Reading reports the step as unreadable.
        }

        string? id = null;
        if (warnings is not null)
        {
            // The id the reader gives the inner step: its own, or one by its position in its list.
            id = step.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(idElement.GetString())
                ? idElement.GetString()
                : "step" + position.ToString(CultureInfo.InvariantCulture);
        }

        return WalkStep(step, type, s_stepShapes[type], isLegacy, path, id, warnings);
    }

    /// <summary>Resolves an inner step's type as <see cref="StepJsonReader"/> does, without allocating.</summary>
    private static bool TryResolveType(JsonElement step, out string type, out bool isLegacy)
    {
        isLegacy = false;
        type = string.Empty;
        var hasType = step.TryGetProperty("type", out var typeElement);
        if (hasType && typeElement.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        if ((!hasType || typeElement.ValueEquals("plugin_action")) && StepForms.IsAiProcessingEntry(step))
        {
            isLegacy = true;
            type = StepTypeNames.AiProcessing;
            return true;
        }

        if ((hasType && typeElement.ValueEquals("plugin_action"))
            || (!hasType && (step.TryGetProperty("plugin_action", out _) || step.TryGetProperty("plugin", out _))))
        {
            isLegacy = true;
            type = StepTypeNames.Action;
            return true;
        }

        if (!hasType)
        {
            return false;
        }

        foreach (var name in s_stepShapes.Keys)
        {
            if (typeElement.ValueEquals(name))
            {
                type = name;
                isLegacy = name is StepTypeNames.AiProcessing or StepTypeNames.LlmDecision
                    && step.TryGetProperty("operation", out var operation) && operation.ValueKind == JsonValueKind.String;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Walks a condition in object form. Which form an object takes is decided as <see cref="ConditionParser"/> does
    /// (<c>and</c>, then <c>or</c>, then <c>not</c>, then <c>field</c>/<c>operator</c>/<c>value</c>, names matched
    /// exactly); any other field of the object is ignored by the parser.
    /// </summary>
    private static bool WalkCondition(JsonElement condition, string? path, string? stepId, List<FieldWarning>? warnings, int depth)
    {
        if (condition.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            return false;
        }

        var form = condition.TryGetProperty("and", out _) ? "and"
            : condition.TryGetProperty("or", out _) ? "or"
            : condition.TryGetProperty("not", out _) ? "not"
            : null;
        var found = false;
        foreach (var property in condition.EnumerateObject())
        {
            var known = s_condition.TryFind(property, out var field);
            // Without and/or/not, the fields of a comparison and of the compiler's forms (conditionType with
            // conditions or condition, typed left/right) all apply; their inner conditions are walked too.
            if (known && (form is null || property.NameEquals(form)))
            {
                if (field!.Kind == Kind.Plain || !Walk(property.Value, field, Child(path, property), stepId, warnings, depth + 1))
                {
                    continue;
                }
            }
            else if (warnings is not null)
            {
                var name = property.Name;
                var message = known
                    ? $"Field '{name}' in a condition is ignored: a condition with '{form}' uses only '{form}'."
                    : Message(name, "in a condition", s_condition.Known, listKnown: true);
                warnings.Add(new FieldWarning(stepId, $"{path}.{name}", message));
            }

            if (warnings is null)
            {
                return true;
            }

            found = true;
        }

        return found;
    }

    /// <summary>A field that changes what runs and that this version does not act on: an error, not a warning.</summary>
    private static FieldWarning Refused(string? stepId, string path, string name, string where, string why) => new(
        stepId,
        path,
        $"Field '{name}' {where} changes what runs ({why}), and this version does not act on it: the document is refused rather than run without it.",
        DiagnosticCodes.UnsupportedField,
        DiagnosticSeverity.Error);

    private static string? Child(string? path, JsonProperty property) => path is null ? null : $"{path}.{property.Name}";

    private static Dictionary<string, Shape> BuildStepShapes()
    {
        var result = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var (name, info) in StepJsonReader.TypeInfos)
        {
            var shape = ShapeOf(info, extra: "type");
            foreach (var (alias, kind) in AliasesOf(name))
            {
                shape.AddAlias(alias, new Field(kind, null, alias));
            }

            result[name] = shape;
        }

        return result;
    }

    /// <summary>
    /// The stored forms a step type accepts besides its model's fields (read by <see cref="StepForms"/>): known, so not
    /// reported, but not listed in messages either.
    /// </summary>
    private static IEnumerable<(string Name, Kind Kind)> AliasesOf(string type)
    {
        switch (type)
        {
            case StepTypeNames.Action:
                return [("operation", Kind.Plain), ("config", Kind.Plain), ("parameters", Kind.Plain)];
            case StepTypeNames.Conditional:
                return [("onTrue", Kind.Plain), ("onFalse", Kind.Plain), .. StepForms.TrueBodyFields.Concat(StepForms.FalseBodyFields).Select(f => (f, Kind.Steps))];
            default:
                return [];
        }
    }

    /// <summary>The shape of a model type from its generated metadata; nested model objects get shapes of their own.</summary>
    private static Shape ShapeOf(JsonTypeInfo info, string? extra = null)
    {
        if (s_objectShapes.TryGetValue(info.Type, out var cached))
        {
            return cached;
        }

        var fields = new Dictionary<string, Field>(StringComparer.OrdinalIgnoreCase);
        var known = new List<string>();
        if (extra is not null)
        {
            fields[extra] = new Field(Kind.Plain, null, extra);
            known.Add(extra);
        }

        foreach (var property in info.Properties)
        {
            if (property.IsExtensionData)
            {
                continue;
            }

            fields[property.Name] = FieldOf(property);
            known.Add(property.Name);
        }

        if (info.Type == typeof(TransformConfig))
        {
            // The compiler's settings, kept in TransformConfig.Settings and read by the operations that use them.
            foreach (var setting in Execution.Operations.CompilerTransformOperations.KnownSettings)
            {
                fields[setting] = new Field(Kind.Plain, null, setting);
                known.Add(setting);
            }
        }

        var shape = new Shape(fields, known);
        if (extra is null)
        {
            s_objectShapes[info.Type] = shape;
        }

        return shape;
    }

    private static Field FieldOf(JsonPropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(Condition))
        {
            return new Field(Kind.Condition, null, property.Name);
        }

        if (type == typeof(EquatableArray<WorkflowStep>))
        {
            return new Field(Kind.Steps, null, property.Name);
        }

        if (property.CustomConverter is not null)
        {
            // Read by a converter of its own: a template, a literal, a duration, a list of ids, switch cases.
            return type == typeof(LiteralValue) && property.Name == "schema"
                ? new Field(Kind.Schema, null, "schema")
                : new Field(Kind.Plain, null, property.Name);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>)
            && OrchestratorJsonContext.Default.GetTypeInfo(type.GetGenericArguments()[0]) is { Kind: JsonTypeInfoKind.Object } item)
        {
            return new Field(Kind.ObjectList, ShapeOf(item), $"an item of {property.Name}");
        }

        return OrchestratorJsonContext.Default.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Object } info
            ? new Field(Kind.Object, ShapeOf(info), property.Name)
            : new Field(Kind.Plain, null, property.Name);
    }

    private static Shape BuildConditionShape()
    {
        // Matched exactly, as the parser reads them; "value" is a free-form literal or template.
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal)
        {
            ["field"] = new(Kind.Plain, null, "field"),
            ["operator"] = new(Kind.Plain, null, "operator"),
            ["value"] = new(Kind.Plain, null, "value"),
            ["and"] = new(Kind.ConditionList, null, "and"),
            ["or"] = new(Kind.ConditionList, null, "or"),
            ["not"] = new(Kind.Condition, null, "not"),

            // The compiler's shapes: conditionType (simple | complex_*) with conditions / condition, and typed
            // expressions (kind: comparison | and | or | not) with left / right operands.
            ["conditionType"] = new(Kind.Plain, null, "conditionType"),
            ["conditions"] = new(Kind.ConditionList, null, "conditions"),
            ["condition"] = new(Kind.Condition, null, "condition"),
            ["kind"] = new(Kind.Plain, null, "kind"),
            ["left"] = new(Kind.Plain, null, "left"),
            ["right"] = new(Kind.Plain, null, "right"),
        };
        return new Shape(fields, ["field", "operator", "value", "and", "or", "not", "conditionType", "conditions", "condition", "kind", "left", "right"]);
    }

    private static Shape BuildSchemaShape()
    {
        // The keys ValidationOperations checks (matched exactly, as it reads them), and annotations that check nothing
        // by design and so are not reported.
        string[] checkedKeys = ["type", "required", "properties", "minLength", "maxLength", "min", "max", "minimum", "maximum", "pattern"];
        string[] annotations = ["$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly"];
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var key in checkedKeys.Concat(annotations))
        {
            fields[key] = new Field(key == "properties" ? Kind.SchemaMap : Kind.Plain, null, "schema");
        }

        return new Shape(fields, checkedKeys);
    }

    /// <summary>The known fields of one kind of object, looked up by a property's UTF-8 name without allocating.</summary>
    private sealed class Shape
    {
        private readonly Dictionary<string, Field> _fields;
        private readonly Dictionary<string, Field>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public Shape(Dictionary<string, Field> fields, IReadOnlyList<string> known)
        {
            _fields = fields;
            _lookup = fields.GetAlternateLookup<ReadOnlySpan<char>>();
            Known = known;
        }

        /// <summary>The known names, in the order messages list them.</summary>
        public IReadOnlyList<string> Known { get; }

        /// <summary>Adds a name that is known (read as another field) without being listed in messages.</summary>
        public void AddAlias(string name, Field field) => _fields.TryAdd(name, field);

        public bool TryFind(JsonProperty property, [MaybeNullWhen(false)] out Field field)
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            if (raw.Length <= StackNameLength && raw.IndexOf((byte)'\\') < 0)
            {
                Span<char> name = stackalloc char[StackNameLength];
                var length = Encoding.UTF8.GetChars(raw, name);
                return _lookup.TryGetValue(name[..length], out field);
            }

            // An escaped or long name: rare enough to pay for the string.
            return _fields.TryGetValue(property.Name, out field);
        }
    }

    /// <summary>A known field: how its value is walked, the shape of its objects, and how messages name them.</summary>
    private sealed record Field(Kind Kind, Shape? Shape, string Label);
}
