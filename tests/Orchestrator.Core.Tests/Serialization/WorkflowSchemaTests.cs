extern alias JsonSchemaNet;

using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using JsonSchemaNet::Json.Schema;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

/// <summary>
/// The shipped schema in lock-step with the model (both directions), every valid document of the repository validating
/// against it, and the strict structured-output variant derived from it.
/// </summary>
public sealed class WorkflowSchemaTests
{
    /// <summary>Schema fields that are not model properties: stored spellings and metadata (left out of the strict variant), and the compilers' transform settings (kept).</summary>
    private static readonly string[] s_markers = ["x-alias-of", "x-legacy", "x-metadata", "x-setting"];

    /// <summary>The schema object that describes each model type outside the steps.</summary>
    private static readonly Dictionary<Type, string> s_objectDefs = new()
    {
        [typeof(RetryPolicy)] = "retryPolicy",
        [typeof(RollbackAction)] = "rollbackAction",
        [typeof(CacheSettings)] = "cache",
        [typeof(Aggregation)] = "aggregation",
        [typeof(TransformConfig)] = "transformConfig",
        [typeof(EnrichmentSource)] = "enrichmentSource",
        [typeof(ValidationRule)] = "validationRule",
        [typeof(ScatterSettings)] = "scatter",
        [typeof(GatherSettings)] = "gather",
        [typeof(InputParameter)] = "inputParameter",
        [typeof(OutputField)] = "outputField",
        [typeof(WorkflowDefinition)] = "agent",
    };

    private static readonly Lazy<JsonSchema> s_editor = new(() => JsonSchema.FromText(WorkflowSchema.Json));
    private static readonly Lazy<JsonSchema> s_strict = new(() => JsonSchema.FromText(WorkflowSchema.StructuredOutputJson));

    private static JsonObject Editor => JsonNode.Parse(WorkflowSchema.Json)!.AsObject();

    private static JsonObject Defs => Editor["$defs"]!.AsObject();

    public static TheoryData<string> ValidDocuments()
    {
        var data = new TheoryData<string>();
        foreach (var path in RepositoryDocuments())
        {
            data.Add(path);
        }

        return data;
    }

    [Fact]
    public void Json_IsDraft202012WithTheDocumentedId()
    {
        var schema = Editor;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.Equal(WorkflowSchema.Id, schema["$id"]!.GetValue<string>());
    }

    [Fact]
    public void StepUnion_NamesEveryStepType_AndNoOther()
    {
        var inSchema = Defs["step"]!["allOf"]!.AsArray().Select(b => b!["if"]!["properties"]!["type"]!["const"]!.GetValue<string>()).ToList();

        Assert.Equal(StepTypeNames.All, inSchema);
        foreach (var name in StepTypeNames.All)
        {
            Assert.True(Defs.ContainsKey(name + "Step"), $"no $defs/{name}Step");
        }
    }

    [Fact]
    public void StepTypes_EveryConcreteModelTypeHasASchemaEntry()
    {
        var stepTypes = typeof(WorkflowStep).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(WorkflowStep)) && !t.IsAbstract).ToList();

        Assert.Equal(14, stepTypes.Count); // LlmStep carries two type names: 15 in all.
        foreach (var type in stepTypes)
        {
            Assert.Contains(TypeNamesOf(type), name => Defs.ContainsKey(name + "Step"));
        }
    }

    [Fact]
    public void StepFields_ModelAndSchemaAgree_BothDirections()
    {
        var problems = new List<string>();
        foreach (var name in StepTypeNames.All)
        {
            var type = StepClrType(name);
            var schema = Defs[name + "Step"]!.AsObject();
            Compare(type, schema, $"{name}Step", problems, extra: ["type"]);
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void ObjectFields_ModelAndSchemaAgree_BothDirections()
    {
        var problems = new List<string>();
        foreach (var (type, def) in s_objectDefs)
        {
            Compare(type, Defs[def]!.AsObject(), def, problems, extra: type == typeof(WorkflowDefinition) ? ["$schema"] : []);
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TransformConfig_ListsTheCompilerSettings_AsTheOperationsRead()
    {
        var properties = Defs["transformConfig"]!["properties"]!.AsObject();
        var legacy = properties.Where(p => p.Value!["x-setting"] is not null).Select(p => p.Key).ToList();

        Assert.Equal(CompilerTransformOperations.KnownSettings.Order(StringComparer.Ordinal), legacy.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Enums_EveryModelEnumMatchesItsSchemaEnum()
    {
        var problems = new List<string>();
        var types = StepTypeNames.All.Select(n => (Type: StepClrType(n), Def: n + "Step")).Concat(s_objectDefs.Select(p => (Type: p.Key, Def: p.Value)));
        var checkedEnums = new HashSet<Type>();
        foreach (var (type, def) in types)
        {
            foreach (var property in JsonProperties(type))
            {
                var propertyType = Nullable.GetUnderlyingType(property.Info.PropertyType) ?? property.Info.PropertyType;
                if (!propertyType.IsEnum)
                {
                    continue;
                }

                checkedEnums.Add(propertyType);
                var expected = EnumNames(propertyType);
                var schema = Resolve(Defs[def]!["properties"]![property.Name]!.AsObject());
                var actual = schema["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
                if (propertyType == typeof(TransformOperation))
                {
                    // The schema also lists the compilers' spellings; each must be one the loader accepts.
                    foreach (var alias in actual.Except(expected))
                    {
                        if (!TransformOperationNames.TryParse(alias, out _))
                        {
                            problems.Add($"{def}.{property.Name}: '{alias}' is not a spelling the loader reads");
                        }
                    }

                    actual = [.. actual.Intersect(expected)];
                }

                if (!expected.Order(StringComparer.Ordinal).SequenceEqual(actual.Order(StringComparer.Ordinal)))
                {
                    problems.Add($"{def}.{property.Name}: model [{string.Join(", ", expected)}] vs schema [{string.Join(", ", actual)}]");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        // Every public enum of the model that the JSON format writes is reached by the walk above.
        var formatEnums = typeof(WorkflowStep).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.IsPublic && t.Namespace == typeof(WorkflowStep).Namespace && t != typeof(LlmStepKind));
        Assert.Empty(formatEnums.Except(checkedEnums));
    }

    [Fact]
    public void InputTypes_MatchTheInputParameterTypeEnum()
    {
        var actual = Defs["inputParameter"]!["properties"]!["type"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());

        Assert.Equal(InputTypes.All, actual);
    }

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void ValidDocument_ValidatesAgainstTheSchema(string path)
    {
        var json = File.ReadAllText(path);
        var loaded = WorkflowJson.Load(json);
        Assert.True(loaded.Succeeded, string.Join(Environment.NewLine, loaded.Diagnostics));
        Assert.DoesNotContain(loaded.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);

        var result = Evaluate(s_editor.Value, json);

        Assert.True(result.IsValid, Describe(result));
    }

    [Fact]
    public void ValidDocuments_CoverTheRepositoryAndTheStoredDocuments()
    {
        var documents = RepositoryDocuments().ToList();

        Assert.True(documents.Count >= 20, $"only {documents.Count} documents found");
        Assert.Contains(documents, d => d.Contains("compat", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "workflow_steps": [{ "id": "a", "type": "action", "plugin": "p", "action": "x", "retryPolicy": { "maxRetry": 2 } }] }""")]
    [InlineData("""{ "workflow_steps": [{ "id": "a", "type": "action", "plugin": "p", "action": "x", "paramz": {} }] }""")]
    [InlineData("""{ "workflow_steps": [{ "id": "a", "type": "send_fax" }] }""")]
    [InlineData("""{ "workflow_steps": [{ "id": "a", "type": "delay" }] }""")]
    [InlineData("""{ "workflow_steps": [{ "id": "a", "type": "transform", "operation": "explode", "input": "x" }] }""")]
    [InlineData("""{ "agent_name": "no steps" }""")]
    public void Schema_RefusesWhatTheLoaderRefusesOrWarnsAbout(string json)
    {
        var loaded = WorkflowJson.Load(json);
        Assert.Contains(loaded.Diagnostics, d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning);

        Assert.False(Evaluate(s_editor.Value, json).IsValid);
    }

    [Fact]
    public void Load_DocumentNamingTheSchema_HasNoDiagnostics()
    {
        var json = $$"""{ "$schema": "{{WorkflowSchema.Id}}", "agent_name": "a", "workflow_steps": [{ "id": "s", "type": "delay", "duration": 5 }] }""";

        var loaded = WorkflowJson.Load(json);

        Assert.True(loaded.Succeeded);
        Assert.Empty(loaded.Diagnostics);
        Assert.True(Evaluate(s_editor.Value, json).IsValid);
    }

    [Fact]
    public void StructuredOutput_UsesOnlyStrictKeywords_AndClosesEveryObject()
    {
        string[] allowed = ["type", "properties", "required", "additionalProperties", "items", "enum", "anyOf", "$ref", "$defs", "description", "title"];
        var problems = new List<string>();
        var root = JsonNode.Parse(WorkflowSchema.StructuredOutputJson)!.AsObject();
        Assert.Equal("object", root["type"]!.GetValue<string>()); // Strict roots are objects, not unions.
        Walk(root, "$");

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        void Walk(JsonObject schema, string path)
        {
            foreach (var (key, value) in schema)
            {
                if (!allowed.Contains(key))
                {
                    problems.Add($"{path}: keyword '{key}'");
                }
            }

            if (schema["properties"] is JsonObject properties)
            {
                var required = schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
                if (!properties.Select(p => p.Key).SequenceEqual(required))
                {
                    problems.Add($"{path}: not every property is required");
                }

                if (schema["additionalProperties"]?.GetValue<bool>() != false)
                {
                    problems.Add($"{path}: open object");
                }

                foreach (var (name, property) in properties)
                {
                    Walk(property!.AsObject(), $"{path}.{name}");
                }
            }

            if (schema["type"]?.ToJsonString() is "\"object\"" && schema["properties"] is null)
            {
                problems.Add($"{path}: object without properties");
            }

            foreach (var key in new[] { "items" })
            {
                if (schema[key] is JsonObject child)
                {
                    Walk(child, $"{path}.{key}");
                }
            }

            foreach (var group in new[] { "anyOf" })
            {
                if (schema[group] is JsonArray branches)
                {
                    for (var i = 0; i < branches.Count; i++)
                    {
                        Walk(branches[i]!.AsObject(), $"{path}.{group}[{i}]");
                    }
                }
            }

            if (schema["$defs"] is JsonObject defs)
            {
                foreach (var (name, def) in defs)
                {
                    Walk(def!.AsObject(), $"$defs.{name}");
                }
            }
        }
    }

    [Fact]
    public void StructuredOutput_LeavesOutTheStoredSpellings()
    {
        var strict = WorkflowSchema.StructuredOutputJson;

        Assert.DoesNotContain("\"step_id\"", strict, StringComparison.Ordinal);
        Assert.DoesNotContain("\"outputVariable\"", strict, StringComparison.Ordinal);
        Assert.DoesNotContain("\"conditionType\"", strict, StringComparison.Ordinal);
        Assert.DoesNotContain("x-", strict, StringComparison.Ordinal);
        Assert.Contains("\"output_variable\"", strict, StringComparison.Ordinal);
    }

    [Fact]
    public void FromStructuredOutput_StrictReply_LoadsAsTheWorkflowItDescribes()
    {
        var reply = StrictReply();
        Assert.True(Evaluate(s_strict.Value, reply).IsValid, Describe(Evaluate(s_strict.Value, reply)));

        var document = WorkflowSchema.FromStructuredOutput(reply);
        var loaded = WorkflowJson.Load(document);

        Assert.True(loaded.Succeeded, string.Join(Environment.NewLine, loaded.Diagnostics));
        Assert.Empty(loaded.Diagnostics);
        var definition = loaded.Definition!;
        Assert.Equal("Inbox digest", definition.Name);
        var search = Assert.IsType<ActionStep>(definition.Steps[0]);
        Assert.Equal("google-mail", search.Plugin);
        Assert.Equal("""{"query":"{{input.query}}","max":10}""", TestJson.Write(search.Params!.WriteTo));
        var summary = Assert.IsType<LlmStep>(definition.Steps[1]);
        Assert.Equal("{{search.data.emails}}", TestJson.Write(summary.Input!.WriteTo).Trim('"'));
        Assert.True(new WorkflowPlanner().Plan(loaded).Succeeded);
        Assert.True(Evaluate(s_editor.Value, document).IsValid);
    }

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void StructuredOutput_CanExpressEveryValidDocument_AndReadsItBackEqual(string path)
    {
        // The document in canonical form, written as a strict model would write it under the structured-output schema.
        var definition = WorkflowJson.Load(File.ReadAllText(path)).Definition!;
        var strict = JsonNode.Parse(WorkflowSchema.StructuredOutputJson)!.AsObject();
        var lost = new List<string>();
        var reply = EncodeStrict(JsonNode.Parse(WorkflowJson.Serialize(definition)), strict, strict, "$", lost)!.ToJsonString();

        var validation = Evaluate(s_strict.Value, reply);
        var back = WorkflowJson.Load(WorkflowSchema.FromStructuredOutput(reply));

        Assert.True(validation.IsValid, Describe(validation));
        Assert.True(back.Succeeded, string.Join(Environment.NewLine, back.Diagnostics));
        Assert.Empty(lost);

        // Compared as JSON: the compilers' transform settings come back in the schema's order, not the document's.
        var expected = WorkflowJson.Serialize(definition);
        var actual = WorkflowJson.Serialize(back.Definition!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"{expected}{Environment.NewLine}{actual}");
    }

    /// <summary>Writes a canonical value as a strict reply: every property present (null when absent), free-form values as JSON text.</summary>
    private static JsonNode? EncodeStrict(JsonNode? node, JsonObject schema, JsonObject root, string path, List<string> lost)
    {
        while (schema["$ref"] is { } reference)
        {
            schema = root["$defs"]![reference.GetValue<string>()["#/$defs/".Length..]]!.AsObject();
        }

        if (node is null)
        {
            return null;
        }

        if (schema["anyOf"] is JsonArray branches)
        {
            var candidates = branches.Select(b => (JsonObject)b!).Where(b => b["type"]?.ToJsonString() != "\"null\"").ToList();
            JsonObject? chosen = null;
            foreach (var branch in candidates)
            {
                var resolved = branch;
                while (resolved["$ref"] is { } r)
                {
                    resolved = root["$defs"]![r.GetValue<string>()["#/$defs/".Length..]]!.AsObject();
                }

                if (node is JsonObject o && o["type"] is JsonValue t && resolved["properties"]?["type"]?["enum"] is JsonArray names)
                {
                    if (names.Any(n => n!.GetValue<string>() == t.GetValue<string>()))
                    {
                        chosen = branch;
                        break;
                    }

                    continue;
                }

                if (chosen is null && KindMatches(node, resolved))
                {
                    chosen = branch;
                }
            }

            return EncodeStrict(node, chosen ?? candidates[0], root, path, lost);
        }

        if (schema["description"]?.GetValue<string>().Contains("Written as JSON text", StringComparison.Ordinal) == true)
        {
            return JsonValue.Create(node.ToJsonString());
        }

        switch (node)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                var result = new JsonObject();
                foreach (var (name, property) in properties)
                {
                    result[name] = EncodeStrict(obj[name], property!.AsObject(), root, $"{path}.{name}", lost);
                }

                lost.AddRange(obj.Where(p => !properties.ContainsKey(p.Key) && p.Key != "type").Select(p => $"{path}.{p.Key}"));
                return result;
            case JsonArray array when schema["items"] is JsonObject items:
                return new JsonArray([.. array.Select((item, i) => EncodeStrict(item, items, root, $"{path}[{i}]", lost))]);
            default:
                return node.DeepClone();
        }
    }

    private static bool KindMatches(JsonNode node, JsonObject schema)
    {
        var type = schema["type"] switch
        {
            JsonArray list => list[0]!.GetValue<string>(),
            JsonValue value => value.GetValue<string>(),
            _ => null,
        };
        if (schema["description"]?.GetValue<string>().Contains("Written as JSON text", StringComparison.Ordinal) == true)
        {
            return false; // Chosen only when no typed branch fits.
        }

        return (type, node.GetValueKind()) switch
        {
            ("object", JsonValueKind.Object) or ("array", JsonValueKind.Array) or ("string", JsonValueKind.String) => true,
            ("number" or "integer", JsonValueKind.Number) => true,
            ("boolean", JsonValueKind.True or JsonValueKind.False) => true,
            _ => false,
        };
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void FromStructuredOutput_NotAnObject_ReturnsTheReplyForTheLoaderToReport(string reply)
    {
        Assert.Equal(reply, WorkflowSchema.FromStructuredOutput(reply));
        Assert.False(WorkflowJson.Load(WorkflowSchema.FromStructuredOutput(reply)).Succeeded && reply == "not json");
    }

    /// <summary>A reply as a strict structured-output model writes it: every field present, null when unused; free-form values as JSON text.</summary>
    internal static string StrictReply()
    {
        var step = new Func<string, string, string>((type, own) =>
        {
            var fields = new JsonObject();
            var definition = Resolve(JsonNode.Parse(WorkflowSchema.StructuredOutputJson)!["$defs"]![type + "Step"]!.AsObject());
            foreach (var (name, _) in definition["properties"]!.AsObject())
            {
                fields[name] = null;
            }

            foreach (var (name, value) in JsonNode.Parse(own)!.AsObject())
            {
                fields[name] = value?.DeepClone();
            }

            return fields.ToJsonString();
        });
        var search = step("action", """{ "type": "action", "id": "search", "plugin": "google-mail", "action": "search_emails", "params": "{\"query\":\"{{input.query}}\",\"max\":10}" }""");
        var summarize = step("ai_processing", """{ "type": "ai_processing", "id": "summarize", "prompt": "\"Summarise these emails.\"", "input": "{{search.data.emails}}" }""");
        return $$"""
            {
              "id": null, "agent_name": "Inbox digest", "description": null,
              "input_schema": [{ "name": "query", "type": "string", "required": true, "default": null, "description": null }],
              "workflow_steps": [{{search}}, {{summarize}}],
              "output_schema": null
            }
            """;
    }

    private static EvaluationResults Evaluate(JsonSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        return schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults results) =>
        string.Join(Environment.NewLine, (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).Take(20));

    private static IEnumerable<string> RepositoryDocuments()
    {
        var root = RepositoryRoot();
        string[] folders =
        [
            "tests/Orchestrator.Core.Tests/Fixtures",
            "tests/Orchestrator.Cli.Tests/Fixtures",
            "tests/Orchestrator.Cli.Tests/Fixtures/compat/documents",
            "samples/EmailSummaryAgent/workflows",
            "benchmarks/Orchestrator.Core.Benchmarks/Loading/Fixtures",
        ];
        var shared = Path.GetFullPath(Path.Combine(root, "../shared/compat/documents"));
        var all = folders.Select(f => Path.Combine(root, f)).Append(shared).Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.json")).Order(StringComparer.Ordinal);
        var planner = new WorkflowPlanner();
        foreach (var path in all)
        {
            // Valid: loads and plans without an error or an unknown-field warning (the fixtures of broken documents are not).
            var loaded = WorkflowJson.Load(File.ReadAllText(path));
            if (loaded.Succeeded && planner.Plan(loaded).Succeeded && !loaded.Diagnostics.Any(d => d.Code == DiagnosticCodes.UnknownField))
            {
                yield return path;
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orchestrator.Core.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Orchestrator.Core.sln above {AppContext.BaseDirectory}.");
    }

    private static JsonObject Resolve(JsonObject schema)
    {
        while (schema["$ref"] is { } reference)
        {
            schema = Defs[reference.GetValue<string>()["#/$defs/".Length..]]!.AsObject();
        }

        return schema;
    }

    private static void Compare(Type type, JsonObject schema, string def, List<string> problems, string[] extra)
    {
        var model = JsonProperties(type).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var properties = schema["properties"]!.AsObject();
        foreach (var name in model)
        {
            if (!properties.ContainsKey(name))
            {
                problems.Add($"{def}: model field '{name}' ({type.Name}) is missing from the schema");
            }
        }

        foreach (var (name, property) in properties)
        {
            var marked = s_markers.Any(m => property!.AsObject().ContainsKey(m));
            if (!model.Contains(name) && !marked && !extra.Contains(name))
            {
                problems.Add($"{def}: schema field '{name}' is not in the model ({type.Name}) nor marked as a stored spelling");
            }

            if (model.Contains(name) && marked)
            {
                problems.Add($"{def}: model field '{name}' is marked as a stored spelling");
            }
        }

        if (schema["additionalProperties"]?.GetValue<bool>() != false && type != typeof(WorkflowDefinition))
        {
            problems.Add($"{def}: open object (the loader warns about unknown fields)");
        }
    }

    /// <summary>
    /// The JSON names of a model type's properties, by reflection, as the serializer picks them: public ones and the
    /// internal ones marked [JsonInclude] (the parsed expressions); JsonPropertyName, else camelCase; ignored ones left out.
    /// </summary>
    private static IEnumerable<(string Name, PropertyInfo Info)> JsonProperties(Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            if (property.GetMethod is { IsPublic: false } && property.GetCustomAttribute<JsonIncludeAttribute>() is null)
            {
                continue;
            }

            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always }
                || property.GetCustomAttribute<JsonExtensionDataAttribute>() is not null
                || property.GetMethod is null
                || property.GetIndexParameters().Length > 0
                || property.Name == "EqualityContract")
            {
                continue;
            }

            yield return (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name), property);
        }
    }

    private static List<string> EnumNames(Type type) =>
        [.. type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name)];

    private static Type StepClrType(string name) =>
        typeof(WorkflowStep).Assembly.GetTypes().Single(t => t.IsSubclassOf(typeof(WorkflowStep)) && !t.IsAbstract && TypeNamesOf(t).Contains(name));

    private static string[] TypeNamesOf(Type type) =>
        type == typeof(LlmStep)
            ? [StepTypeNames.LlmDecision, StepTypeNames.AiProcessing]
            : [((WorkflowStep)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type)).Type];
}
