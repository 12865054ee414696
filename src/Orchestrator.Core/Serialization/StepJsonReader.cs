using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// Reads one step from JSON: resolves its <c>type</c>, normalises legacy entries, gives it an id by position when it has
/// none, checks required fields (naming all that are missing at once), then lets the generated metadata read the rest.
/// </summary>
internal static class StepJsonReader
{
    private const string LegacyPluginActionType = "plugin_action";

    private static readonly Dictionary<string, JsonTypeInfo> s_typeInfos = new(StringComparer.Ordinal)
    {
        [StepTypeNames.Action] = OrchestratorJsonContext.Default.ActionStep,
        [StepTypeNames.LlmDecision] = OrchestratorJsonContext.Default.LlmStep,
        [StepTypeNames.AiProcessing] = OrchestratorJsonContext.Default.LlmStep,
        [StepTypeNames.Conditional] = OrchestratorJsonContext.Default.ConditionalStep,
        [StepTypeNames.Loop] = OrchestratorJsonContext.Default.LoopStep,
        [StepTypeNames.Transform] = OrchestratorJsonContext.Default.TransformStep,
        [StepTypeNames.Delay] = OrchestratorJsonContext.Default.DelayStep,
        [StepTypeNames.ParallelGroup] = OrchestratorJsonContext.Default.ParallelGroupStep,
        [StepTypeNames.Switch] = OrchestratorJsonContext.Default.SwitchStep,
        [StepTypeNames.ScatterGather] = OrchestratorJsonContext.Default.ScatterGatherStep,
        [StepTypeNames.Enrichment] = OrchestratorJsonContext.Default.EnrichmentStep,
        [StepTypeNames.Validation] = OrchestratorJsonContext.Default.ValidationStep,
        [StepTypeNames.Comparison] = OrchestratorJsonContext.Default.ComparisonStep,
        [StepTypeNames.SubWorkflow] = OrchestratorJsonContext.Default.SubWorkflowStep,
        [StepTypeNames.HumanApproval] = OrchestratorJsonContext.Default.HumanApprovalStep,
    };

    private static readonly Dictionary<string, string[]> s_required = new(StringComparer.Ordinal)
    {
        [StepTypeNames.Action] = ["plugin", "action"],
        [StepTypeNames.Conditional] = ["condition"],
        [StepTypeNames.Loop] = ["iterateOver"],
        [StepTypeNames.Transform] = ["operation", "input"],
        [StepTypeNames.Delay] = ["duration"],
        [StepTypeNames.Switch] = ["evaluate"],
        [StepTypeNames.ScatterGather] = ["scatter"],
        [StepTypeNames.Validation] = ["input"],
        [StepTypeNames.Comparison] = ["left", "right"],
    };

    /// <summary>The generated metadata of each step type name.</summary>
    public static IReadOnlyDictionary<string, JsonTypeInfo> TypeInfos => s_typeInfos;

    /// <summary>Every step type name, for messages.</summary>
    public static string KnownTypes { get; } = string.Join(", ", StepTypeNames.All);

    /// <summary>Reads one step.</summary>
    /// <param name="element">The step's JSON.</param>
    /// <param name="position">The 1-based position in its list, used to name a step without an id; 0 when unknown.</param>
    /// <param name="isLegacy">Set when the entry was in the legacy shape.</param>
    /// <param name="warnings">Receives warnings (unknown fields, in the step, its objects and its inner steps), with paths relative to the step; may be null.</param>
    /// <param name="lifted">
    /// Receives the steps of a conditional's inline bodies, which belong to the same list after the conditional
    /// (see <see cref="StepForms.LiftBodies"/>); null where there is no list to add them to (an inline body is then refused).
    /// </param>
    /// <returns>The step.</returns>
    /// <exception cref="JsonException">The step cannot be read; a <see cref="WorkflowJsonException"/> carries its diagnostic code.</exception>
    public static WorkflowStep Read(JsonElement element, int position, out bool isLegacy, List<FieldWarning>? warnings, List<WorkflowStep>? lifted = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A step must be an object, not {JsonErrors.Describe(element.ValueKind)}.");
        }

        string? type = null;
        if (element.TryGetProperty("type", out var typeElement))
        {
            if (typeElement.ValueKind != JsonValueKind.String)
            {
                throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A step's 'type' must be a string, not {JsonErrors.Describe(typeElement.ValueKind)}.");
            }

            type = typeElement.GetString();
        }

        JsonObject? rewritten = null;
        isLegacy = false;
        var hasPluginAction = element.TryGetProperty("plugin_action", out var pluginAction);
        var hasOperation = element.TryGetProperty("operation", out var operation) && operation.ValueKind == JsonValueKind.String;

        if ((type is null || type == LegacyPluginActionType) && StepForms.IsAiProcessingEntry(element))
        {
            // { plugin: "ai_processing", plugin_action, operation }: an LLM step, not a call of a plugin by that name.
            isLegacy = true;
            type = StepTypeNames.AiProcessing;
            rewritten = StepForms.RewriteAiProcessingEntry(element, warnings);
        }
        else if (type == LegacyPluginActionType || (type is null && (hasPluginAction || element.TryGetProperty("plugin", out _))))
        {
            // Legacy plugin call: { "operation", "plugin", "plugin_action", "params" } becomes an action step.
            isLegacy = true;
            type = StepTypeNames.Action;
            rewritten = JsonObject.Create(element)!.DeepClone().AsObject();
            rewritten["type"] = StepTypeNames.Action;
            MoveIfAbsent(rewritten, "plugin_action", "action");
            MoveIfAbsent(rewritten, "operation", "name");
        }
        else if (type is StepTypeNames.AiProcessing or StepTypeNames.LlmDecision && hasOperation)
        {
            // Legacy LLM entry: { "operation": "Summarize the emails", "type": "ai_processing" } takes name and prompt from operation.
            isLegacy = true;
            rewritten = JsonObject.Create(element)!.DeepClone().AsObject();
            if (!rewritten.ContainsKey("prompt"))
            {
                rewritten["prompt"] = operation.GetString();
            }

            MoveIfAbsent(rewritten, "operation", "name");
        }

        if (type is null)
        {
            throw new WorkflowJsonException(DiagnosticCodes.MissingField, $"The step has no 'type'. Known types: {KnownTypes}.");
        }

        StepForms.ApplyAliases(element, type, isLegacy, ref rewritten, warnings);

        if (!s_typeInfos.TryGetValue(type, out var typeInfo))
        {
            throw new WorkflowJsonException(DiagnosticCodes.UnknownStepType, $"Unknown step type '{type}'. Known types: {KnownTypes}.");
        }

        // Aliases the stored documents use: step_id for id, outputVariable for output_variable (both present: they must agree).
        rewritten = ApplyAlias(element, rewritten, "step_id", "id");
        rewritten = ApplyAlias(element, rewritten, "outputVariable", "output_variable");

        var hasId = element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(idElement.GetString());
        hasId |= rewritten is not null && rewritten.TryGetPropertyValue("id", out var rewrittenId)
            && rewrittenId is JsonValue idValue && idValue.TryGetValue<string>(out var idText) && !string.IsNullOrWhiteSpace(idText);
        if (!hasId)
        {
            if (element.TryGetProperty("id", out idElement) && idElement.ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
            {
                throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A step's 'id' must be a string, not {JsonErrors.Describe(idElement.ValueKind)}.");
            }

            if (position <= 0)
            {
                throw new WorkflowJsonException(DiagnosticCodes.MissingField, "The step has no 'id'.");
            }

            rewritten ??= JsonObject.Create(element)!.DeepClone().AsObject();
            rewritten["id"] = "step" + position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == StepTypeNames.Conditional && StepForms.HasInlineBody(element))
        {
            if (lifted is null)
            {
                throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, "A conditional with an inline body ('steps', 'then', 'then_steps', 'else_steps', 'else') can only be read as part of a step list.");
            }

            rewritten ??= JsonObject.Create(element)!.DeepClone().AsObject();
            var id = rewritten.TryGetPropertyValue("id", out var idNode) && idNode?.GetValueKind() == JsonValueKind.String ? idNode.GetValue<string>() : "conditional";
            StepForms.LiftBodies(element, id, rewritten, lifted, warnings);
        }

        if (s_required.TryGetValue(type, out var required))
        {
            List<string>? missing = null;
            foreach (var field in required)
            {
                var present = rewritten is not null
                    ? rewritten.TryGetPropertyValue(field, out var node) && node is not null
                    : element.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;
                if (!present)
                {
                    (missing ??= []).Add(field);
                }
            }

            if (missing is not null)
            {
                throw new WorkflowJsonException(DiagnosticCodes.MissingField, $"A '{type}' step needs {string.Join(" and ", missing.Select(m => $"'{m}'"))}.");
            }
        }

        if (warnings is not null)
        {
            UnknownFields.Check(element, type, isLegacy, warnings);
        }

        WorkflowStep step;
        try
        {
            step = rewritten is null
                ? (WorkflowStep)element.Deserialize(typeInfo)!
                : (WorkflowStep)rewritten.Deserialize(typeInfo)!;
        }
        catch (JsonException ex) when (ex is not WorkflowJsonException
            && ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal)
            && JsonErrors.ExpectedValueOf(typeInfo, path[2..], ex) is { } expected)
        {
            // The serializer names the step's type, not the field's, when a field's value cannot be converted.
            throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"Wrong value for '{path[2..]}': expected {expected}.", ex)
            {
                InnerPath = path[1..],
            };
        }

        return step is LlmStep llm
            ? llm with { Kind = type == StepTypeNames.LlmDecision ? LlmStepKind.Decision : LlmStepKind.Processing }
            : step;
    }

    /// <summary>Writes a step with its <c>type</c> first, then the fields of its concrete type.</summary>
    public static void Write(Utf8JsonWriter writer, WorkflowStep step)
    {
        var typeInfo = s_typeInfos[step.Type];
        var element = JsonSerializer.SerializeToElement(step, typeInfo);
        writer.WriteStartObject();
        writer.WriteString("type", step.Type);
        foreach (var property in element.EnumerateObject())
        {
            if (!property.NameEquals("type"))
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Whether a raw entry declares dependencies (used to decide whether a legacy list is a sequence).</summary>
    public static bool DeclaresDependencies(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("dependencies", out var dependencies)
        && dependencies.ValueKind is JsonValueKind.String or JsonValueKind.Array
        && !(dependencies.ValueKind == JsonValueKind.Array && dependencies.GetArrayLength() == 0);

    /// <summary>The names a step may use for a field besides its canonical one (the stored documents' spellings).</summary>
    internal static bool IsAlias(string name, out string canonical)
    {
        canonical = name switch
        {
            "step_id" => "id",
            "outputVariable" => "output_variable",
            _ => string.Empty,
        };
        return canonical.Length > 0;
    }

    /// <summary>Reads <paramref name="alias"/> as <paramref name="canonical"/>; both present with different values is an error.</summary>
    private static JsonObject? ApplyAlias(JsonElement element, JsonObject? rewritten, string alias, string canonical)
    {
        if (!element.TryGetProperty(alias, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return rewritten;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A step's '{alias}' must be a string, not {JsonErrors.Describe(value.ValueKind)}.")
            {
                InnerPath = "." + alias,
            };
        }

        var text = value.GetString()!;
        var hasCanonical = rewritten is not null
            ? rewritten.TryGetPropertyValue(canonical, out var node) && node is not null
            : element.TryGetProperty(canonical, out var existing) && existing.ValueKind != JsonValueKind.Null;
        if (hasCanonical)
        {
            var current = rewritten is not null ? rewritten[canonical]!.ToJsonString() : element.GetProperty(canonical).GetRawText();
            if (current != JsonSerializer.Serialize(text, OrchestratorJsonContext.Default.String))
            {
                throw new WorkflowJsonException(
                    DiagnosticCodes.ConflictingAlias,
                    $"The step has both '{canonical}' ({current}) and its alias '{alias}' (\"{text}\"), with different values; they must agree.")
                {
                    InnerPath = "." + alias,
                };
            }

            return rewritten;
        }

        rewritten ??= JsonObject.Create(element)!.DeepClone().AsObject();
        rewritten.Remove(alias);
        rewritten[canonical] = text;
        return rewritten;
    }

    private static void MoveIfAbsent(JsonObject step, string from, string to)
    {
        if (step.TryGetPropertyValue(from, out var value))
        {
            step.Remove(from);
            if (!step.ContainsKey(to))
            {
                step[to] = value;
            }
        }
    }
}
