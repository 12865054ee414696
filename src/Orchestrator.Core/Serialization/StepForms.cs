using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// The stored forms of steps that agent platforms write (see <c>docs/workflow-format.md</c>, "Stored documents"),
/// rewritten to the canonical form before the generated metadata reads the step. Each rewrite is reported as an
/// information diagnostic (<see cref="DiagnosticCodes.NormalisedForm"/>); a field given twice under two names with
/// different values is refused (<see cref="DiagnosticCodes.ConflictingAlias"/>), never silently resolved.
/// </summary>
internal static class StepForms
{
    /// <summary>The pseudo-plugin legacy builders name for an LLM step.</summary>
    public const string AiProcessingPlugin = "ai_processing";

    /// <summary>The fields of a <c>conditional</c> that hold an inline body run when the condition is true.</summary>
    public static readonly string[] TrueBodyFields = ["steps", "then", "then_steps"];

    /// <summary>The fields of a <c>conditional</c> that hold an inline body run when the condition is false.</summary>
    public static readonly string[] FalseBodyFields = ["else_steps", "else"];

    /// <summary>Whether a legacy entry names the <c>ai_processing</c> pseudo-plugin (it is an LLM step, not a plugin call).</summary>
    public static bool IsAiProcessingEntry(JsonElement element) =>
        element.TryGetProperty("plugin", out var plugin) && plugin.ValueKind == JsonValueKind.String && plugin.ValueEquals(AiProcessingPlugin);

    /// <summary>
    /// Rewrites a legacy <c>{ plugin: "ai_processing", plugin_action, operation }</c> entry into an <c>ai_processing</c>
    /// step whose prompt (and name) is the entry's <c>operation</c>.
    /// </summary>
    public static JsonObject RewriteAiProcessingEntry(JsonElement element, List<FieldWarning>? notes)
    {
        var rewritten = JsonObject.Create(element)!.DeepClone().AsObject();
        rewritten["type"] = StepTypeNames.AiProcessing;
        rewritten.Remove("plugin");
        rewritten.Remove("plugin_action");
        if (rewritten.TryGetPropertyValue("operation", out var operation))
        {
            rewritten.Remove("operation");
            if (!rewritten.ContainsKey("prompt"))
            {
                rewritten["prompt"] = operation?.DeepClone();
            }

            if (!rewritten.ContainsKey("name"))
            {
                rewritten["name"] = operation?.DeepClone();
            }
        }

        notes?.Add(Note(".plugin", "The legacy entry with plugin 'ai_processing' is read as an 'ai_processing' step (an LLM call, not a plugin call); its 'operation' is the prompt."));
        return rewritten;
    }

    /// <summary>
    /// Applies the aliases of one step type: for <c>action</c>, <c>operation</c> for <c>action</c> and <c>config</c> or
    /// <c>parameters</c> for <c>params</c>; for <c>conditional</c>, <c>onTrue</c>/<c>onFalse</c> for
    /// <c>trueBranch</c>/<c>falseBranch</c>.
    /// </summary>
    /// <param name="element">The step as stored.</param>
    /// <param name="type">The resolved type name.</param>
    /// <param name="isLegacy">Whether the entry was in the legacy shape (its <c>operation</c> is a name, not an action).</param>
    /// <param name="rewritten">The rewritten step, created at the first rewrite.</param>
    /// <param name="notes">Receives an information note per rewrite; may be null.</param>
    /// <exception cref="WorkflowJsonException">Two names of one field disagree.</exception>
    public static void ApplyAliases(JsonElement element, string type, bool isLegacy, ref JsonObject? rewritten, List<FieldWarning>? notes)
    {
        switch (type)
        {
            case StepTypeNames.Action when !isLegacy:
                Alias(element, "action", "operation", ref rewritten, notes);
                Alias(element, "params", "config", ref rewritten, notes);
                Alias(element, "params", "parameters", ref rewritten, notes);
                break;
            case StepTypeNames.Conditional:
                Alias(element, "trueBranch", "onTrue", ref rewritten, notes);
                Alias(element, "falseBranch", "onFalse", ref rewritten, notes);
                break;
        }
    }

    /// <summary>Whether a conditional has one of the body fields (a value other than null: a body that is not a list is refused, not dropped).</summary>
    public static bool HasInlineBody(JsonElement element)
    {
        foreach (var field in TrueBodyFields.Concat(FalseBodyFields))
        {
            if (element.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Lifts the inline bodies of a conditional into its list: each body step is read (recursively, so nested
    /// conditionals are lifted too), added to <paramref name="lifted"/> after the conditional, made a target of the
    /// branch its body belongs to, and made to wait for the body step before it (a body runs in order).
    /// </summary>
    /// <param name="element">The conditional as stored.</param>
    /// <param name="conditionalId">The conditional's id.</param>
    /// <param name="rewritten">The conditional's JSON to rewrite (body fields removed, branch lists extended).</param>
    /// <param name="lifted">Receives the body steps, in document order.</param>
    /// <param name="notes">Receives an information note per body; may be null.</param>
    /// <exception cref="JsonException">A body step cannot be read; its path is relative to the conditional.</exception>
    public static void LiftBodies(JsonElement element, string conditionalId, JsonObject rewritten, List<WorkflowStep> lifted, List<FieldWarning>? notes)
    {
        LiftBranch(element, conditionalId, TrueBodyFields, "trueBranch", "then", rewritten, lifted, notes);
        LiftBranch(element, conditionalId, FalseBodyFields, "falseBranch", "else", rewritten, lifted, notes);
    }

    private static void LiftBranch(JsonElement element, string conditionalId, string[] fields, string branchField, string label, JsonObject rewritten, List<WorkflowStep> lifted, List<FieldWarning>? notes)
    {
        var targets = new List<string>();
        if (rewritten.TryGetPropertyValue(branchField, out var existing) && existing is not null)
        {
            // Ids named by the branch field (one or a list) stay targets.
            if (existing is JsonArray array)
            {
                targets.AddRange(array.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null).OfType<string>());
            }
            else if (existing.GetValueKind() == JsonValueKind.String)
            {
                targets.Add(existing.GetValue<string>());
            }
        }

        var any = false;
        foreach (var field in fields)
        {
            if (!element.TryGetProperty(field, out var body))
            {
                continue;
            }

            rewritten.Remove(field);
            if (body.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (body.ValueKind != JsonValueKind.Array)
            {
                throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"'{field}' of a conditional must be a list of steps, not {JsonErrors.Describe(body.ValueKind)}.")
                {
                    InnerPath = "." + field,
                };
            }

            any = true;
            var ids = new List<string>();
            string[]? previous = null;
            var index = 0;
            foreach (var item in body.EnumerateArray())
            {
                var inner = new List<WorkflowStep>();
                WorkflowStep step;
                try
                {
                    step = StepJsonReader.Read(WithId(item, $"{conditionalId}_{label}{(index + 1).ToString(CultureInfo.InvariantCulture)}"), 0, out _, null, inner);
                }
                catch (JsonException ex)
                {
                    var (code, message) = JsonErrors.Translate(ex);
                    throw new WorkflowJsonException(code, $"Step {(index + 1).ToString(CultureInfo.InvariantCulture)} of '{field}': {message}", ex)
                    {
                        InnerPath = WorkflowJsonException.Locate($".{field}[{index.ToString(CultureInfo.InvariantCulture)}]", ex),
                    };
                }

                if (previous is not null && step.Dependencies.IsEmpty)
                {
                    step = step with { Dependencies = EquatableArray<string>.UnsafeWrap(previous) };
                }

                lifted.Add(step);
                lifted.AddRange(inner);
                targets.Add(step.Id);
                ids.Add(step.Id);
                previous = [step.Id, .. inner.Select(s => s.Id)];
                index++;
            }

            notes?.Add(Note(
                "." + field,
                $"The inline body '{field}' of '{conditionalId}' runs when the condition is {(label == "then" ? "true" : "false")}: its steps ({(ids.Count == 0 ? "none" : string.Join(", ", ids))}) are part of the workflow's list and targets of '{branchField}'."));
        }

        if (any)
        {
            rewritten[branchField] = new JsonArray([.. targets.Select(t => (JsonNode)JsonValue.Create(t))]);
        }
    }

    /// <summary>The body step with an id: its own, or one made from the conditional's id and its position.</summary>
    private static JsonElement WithId(JsonElement item, string fallbackId)
    {
        if (item.ValueKind != JsonValueKind.Object
            || (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(id.GetString()))
            || item.TryGetProperty("step_id", out _))
        {
            return item;
        }

        var copy = JsonObject.Create(item)!.DeepClone().AsObject();
        copy["id"] = fallbackId;
        using var document = JsonDocument.Parse(copy.ToJsonString());
        return document.RootElement.Clone();
    }

    private static void Alias(JsonElement element, string canonical, string alias, ref JsonObject? rewritten, List<FieldWarning>? notes)
    {
        if (!element.TryGetProperty(alias, out var aliasValue) || aliasValue.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        rewritten ??= JsonObject.Create(element)!.DeepClone().AsObject();
        if (rewritten.TryGetPropertyValue(canonical, out var canonicalValue) && canonicalValue is not null)
        {
            if (!JsonNode.DeepEquals(canonicalValue, JsonNode.Parse(aliasValue.GetRawText())))
            {
                throw new WorkflowJsonException(
                    DiagnosticCodes.ConflictingAlias,
                    $"The step gives both '{canonical}' and '{alias}' (an alias of '{canonical}') with different values; keep one.")
                {
                    InnerPath = "." + alias,
                };
            }

            rewritten.Remove(alias);
            notes?.Add(Note("." + alias, $"'{alias}' repeats '{canonical}' and is dropped."));
            return;
        }

        rewritten.Remove(alias);
        rewritten[canonical] = JsonNode.Parse(aliasValue.GetRawText());
        notes?.Add(Note("." + alias, $"'{alias}' is read as '{canonical}'."));
    }

    private static FieldWarning Note(string path, string message) =>
        new(null, path, message, DiagnosticCodes.NormalisedForm, DiagnosticSeverity.Info);
}
