using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// Loads and saves workflow documents: agent records (<c>{ "agent_name", "input_schema", "workflow_steps", ... }</c>)
/// or bare lists of steps, typed or legacy. Loading never throws for bad input: it reports every problem it finds,
/// each with a code, the step and the JSON path.
/// </summary>
public static class WorkflowJson
{
    private const string StepsProperty = "workflow_steps";
    private const string InputsProperty = "input_schema";
    private const string OutputsProperty = "output_schema";

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 256,
    };

    private static readonly JsonSerializerOptions s_indented = CreateIndented();

    /// <summary>The serializer options of the library's source-generated context (read-only).</summary>
    public static JsonSerializerOptions DefaultOptions => OrchestratorJsonContext.Default.Options;

    /// <summary>Loads a workflow document from JSON text.</summary>
    /// <param name="json">The document.</param>
    /// <returns>The definition and every problem found.</returns>
    public static WorkflowLoadResult Load(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_documentOptions);
        }
        catch (JsonException ex)
        {
            return Malformed(ex);
        }

        using (document)
        {
            return Load(document.RootElement);
        }
    }

    /// <summary>Loads a workflow document from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <returns>The definition and every problem found.</returns>
    public static WorkflowLoadResult Load(ReadOnlyMemory<byte> utf8Json)
    {
        // JsonDocument does not check the UTF-8 inside strings until they are read, where it throws: checked first.
        if (!Utf8.IsValid(utf8Json.Span))
        {
            return NotUtf8();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, s_documentOptions);
        }
        catch (JsonException ex)
        {
            return Malformed(ex);
        }

        using (document)
        {
            return Load(document.RootElement);
        }
    }

    /// <summary>Loads a workflow document from a stream of UTF-8 JSON.</summary>
    /// <param name="utf8Json">The stream; it is read to its end and not closed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The definition and every problem found.</returns>
    public static async ValueTask<WorkflowLoadResult> LoadAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var buffer = new MemoryStream();
        await utf8Json.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Load(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Loads a workflow document that has already been parsed.</summary>
    /// <param name="root">The document's root: an agent record or a list of steps.</param>
    /// <returns>The definition and every problem found.</returns>
    public static WorkflowLoadResult Load(JsonElement root)
    {
        var diagnostics = new List<WorkflowDiagnostic>();
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        JsonElement steps;
        string stepsPath;
        var definition = new WorkflowDefinition();

        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                steps = root;
                stepsPath = "$";
                break;
            case JsonValueKind.Object:
                if (!root.TryGetProperty(StepsProperty, out steps))
                {
                    diagnostics.Add(WorkflowDiagnostic.Error(DiagnosticCodes.MissingField, "The agent record has no 'workflow_steps'.", null, "$"));
                    return new WorkflowLoadResult(null, diagnostics, unreadable);
                }

                if (steps.ValueKind != JsonValueKind.Array)
                {
                    diagnostics.Add(WorkflowDiagnostic.Error(DiagnosticCodes.InvalidDocument, $"'workflow_steps' must be a list of steps, not {JsonErrors.Describe(steps.ValueKind)}.", null, "$." + StepsProperty));
                    return new WorkflowLoadResult(null, diagnostics, unreadable);
                }

                stepsPath = "$." + StepsProperty;
                definition = definition with
                {
                    Id = ReadString(root, "id", diagnostics),
                    Name = ReadString(root, "agent_name", diagnostics),
                    Description = ReadString(root, "description", diagnostics),
                    InputSchema = ReadList(root, InputsProperty, OrchestratorJsonContext.Default.InputParameter, diagnostics),
                    OutputSchema = ReadList(root, OutputsProperty, OrchestratorJsonContext.Default.OutputField, diagnostics),
                };
                break;
            default:
                diagnostics.Add(WorkflowDiagnostic.Error(
                    DiagnosticCodes.InvalidDocument,
                    $"A workflow document is an agent record (an object with 'workflow_steps') or a list of steps, not {JsonErrors.Describe(root.ValueKind)}.",
                    null,
                    "$"));
                return new WorkflowLoadResult(null, diagnostics, unreadable);
        }

        var read = new List<WorkflowStep>(steps.GetArrayLength());
        var positions = new List<int>(steps.GetArrayLength());
        var positionalIds = new string[steps.GetArrayLength()];
        var anyLegacy = false;
        var anyDependencies = false;
        var warnings = new List<FieldWarning>();
        var lifted = new List<WorkflowStep>();
        var anyLifted = false;
        var index = 0;
        foreach (var element in steps.EnumerateArray())
        {
            var path = $"{stepsPath}[{index.ToString(CultureInfo.InvariantCulture)}]";
            var rawId = element.ValueKind == JsonValueKind.Object
                && (element.TryGetProperty("id", out var idElement) || element.TryGetProperty("step_id", out idElement))
                && idElement.ValueKind == JsonValueKind.String
                ? idElement.GetString()
                : null;
            positionalIds[index] = string.IsNullOrWhiteSpace(rawId) ? "step" + (index + 1).ToString(CultureInfo.InvariantCulture) : rawId;
            anyDependencies |= StepJsonReader.DeclaresDependencies(element);
            warnings.Clear();
            if (JsonDepth.FindTooDeep(element, ExecutionLimits.DataDepthCeiling) is { } tooDeep)
            {
                // Refused before anything walks it: the readers below recurse per level.
                diagnostics.Add(WorkflowDiagnostic.Error(DiagnosticCodes.LimitExceeded, $"The step nests deeper than {nameof(ExecutionLimits)}.{nameof(ExecutionLimits.DataDepthCeiling)} ({ExecutionLimits.DataDepthCeiling}) JSON levels.", positionalIds[index], path + tooDeep));
                unreadable.Add(positionalIds[index]);
                index++;
                continue;
            }

            try
            {
                var step = StepJsonReader.Read(element, index + 1, out var isLegacy, warnings, lifted);
                anyLegacy |= isLegacy;
                read.Add(step);
                positions.Add(index);
                if (lifted.Count > 0)
                {
                    // A conditional's inline bodies: their steps join the list after it, at the conditional's position.
                    anyLifted = true;
                    foreach (var body in lifted)
                    {
                        read.Add(body);
                        positions.Add(index);
                    }

                    lifted.Clear();
                }
            }
            catch (JsonException ex)
            {
                var (code, message) = JsonErrors.Translate(ex);
                diagnostics.Add(WorkflowDiagnostic.Error(code, message, positionalIds[index], WorkflowJsonException.Locate(path, ex)));
                unreadable.Add(positionalIds[index]);
                lifted.Clear();
                if (RawOutputVariable(element) is { } outputVariable)
                {
                    unreadable.Add(outputVariable); // References to it are not reported again as unknown.
                }
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // A legacy entry is rewritten through JsonObject, which refuses a property given twice.
                diagnostics.Add(WorkflowDiagnostic.Error(DiagnosticCodes.InvalidValue, $"The step cannot be read: {ex.Message}", positionalIds[index], path));
                unreadable.Add(positionalIds[index]);
            }

            foreach (var warning in warnings)
            {
                diagnostics.Add(new WorkflowDiagnostic(warning.Code, warning.Severity, warning.Message, warning.StepId ?? positionalIds[index], path + warning.Path));
            }

            index++;
        }

        if (anyLegacy && !anyDependencies)
        {
            // An older builder's list declares no dependencies: it is a sequence, each entry depending on the one before.
            // (Running it as one parallel group would start later steps before the data they need exists.)
            var previous = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; i < positionalIds.Length; i++)
            {
                previous[positionalIds[i]] = positionalIds[i - 1];
            }

            for (var i = 0; i < read.Count; i++)
            {
                if (read[i].Dependencies.IsEmpty && previous.TryGetValue(read[i].Id, out var before))
                {
                    read[i] = read[i] with { Dependencies = [before] };
                }
            }
        }

        definition = definition with { Steps = EquatableArray<WorkflowStep>.UnsafeWrap([.. read]) };
        return new WorkflowLoadResult(definition, diagnostics, unreadable, unreadable.Count == 0 && !anyLifted ? null : positions) { StepsPath = stepsPath };
    }

    /// <summary>Saves a definition as an agent record.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="indented">Whether to indent the JSON for people.</param>
    /// <returns>The JSON text; loading it gives a definition equal to <paramref name="definition"/>.</returns>
    public static string Serialize(WorkflowDefinition definition, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return JsonSerializer.Serialize(definition, indented ? (JsonTypeInfo<WorkflowDefinition>)s_indented.GetTypeInfo(typeof(WorkflowDefinition)) : OrchestratorJsonContext.Default.WorkflowDefinition);
    }

    /// <summary>Writes a definition as an agent record.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="definition">The definition.</param>
    public static void WriteTo(Utf8JsonWriter writer, WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(definition);
        JsonSerializer.Serialize(writer, definition, OrchestratorJsonContext.Default.WorkflowDefinition);
    }

    private static WorkflowLoadResult NotUtf8() => new(
        null,
        [WorkflowDiagnostic.Error(DiagnosticCodes.MalformedJson, "Malformed JSON: the document is not valid UTF-8.", null, "$")],
        new HashSet<string>());

    private static string? RawOutputVariable(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && (element.TryGetProperty("output_variable", out var name) || element.TryGetProperty("outputVariable", out name))
        && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    private static WorkflowLoadResult Malformed(JsonException ex)
    {
        var line = (ex.LineNumber ?? 0) + 1;
        var column = (ex.BytePositionInLine ?? 0) + 1;
        var reason = ex.Message;
        var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        reason = cut > 0 ? reason[..cut] : reason;
        var diagnostic = WorkflowDiagnostic.Error(
            DiagnosticCodes.MalformedJson,
            $"Malformed JSON at line {line}, column {column}: {reason}",
            null,
            string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path);
        return new WorkflowLoadResult(null, [diagnostic], new HashSet<string>());
    }

    private static string? ReadString(JsonElement root, string name, List<WorkflowDiagnostic> diagnostics)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            diagnostics.Add(WorkflowDiagnostic.Error(DiagnosticCodes.InvalidValue, $"'{name}' must be a string, not {JsonErrors.Describe(value.ValueKind)}.", null, "$." + name));
            return null;
        }

        return value.GetString();
    }

    private static EquatableArray<T> ReadList<T>(JsonElement root, string name, JsonTypeInfo<T> typeInfo, List<WorkflowDiagnostic> diagnostics)
    {
        if (!root.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return default;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            diagnostics.Add(WorkflowDiagnostic.Error(DiagnosticCodes.InvalidDocument, $"'{name}' must be a list, not {JsonErrors.Describe(list.ValueKind)}.", null, "$." + name));
            return default;
        }

        var items = new List<T>(list.GetArrayLength());
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            var path = $"$.{name}[{index.ToString(CultureInfo.InvariantCulture)}]";
            try
            {
                items.Add(element.Deserialize(typeInfo)!);
            }
            catch (JsonException ex)
            {
                var (code, message) = JsonErrors.Translate(ex);
                diagnostics.Add(WorkflowDiagnostic.Error(code, message, null, WorkflowJsonException.Locate(path, ex)));
            }

            index++;
        }

        return EquatableArray<T>.UnsafeWrap([.. items]);
    }

    private static JsonSerializerOptions CreateIndented()
    {
        var options = new JsonSerializerOptions(OrchestratorJsonContext.Default.Options) { WriteIndented = true };
        options.MakeReadOnly();
        return options;
    }
}
