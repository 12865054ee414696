using System.Text.Json;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Serialization;
using Orchestrator.Docs.Tests.Harness;
using Orchestrator.Docs.Tests.Markdown;

namespace Orchestrator.Docs.Tests;

/// <summary>
/// Every ```json block of README.md and docs/*.md parses; a workflow (an agent record or a list of steps) loads and
/// plans without errors, a step or a condition loads without errors (an unknown field, warning ORC006, counts as one); a block after
/// <c>&lt;!-- invalid-workflow --&gt;</c> must instead report at least one error. Blocks with <c>file=NAME</c> in their
/// info string are the inputs of docs/cli.md's examples (Orchestrator.Cli.Tests runs them): they must parse, and a
/// workflow among them must load; what planning reports is shown in the example's output.
/// </summary>
public sealed class JsonBlockTests
{
    public static TheoryData<string, int> JsonBlocksData() => DocSet.BlockData("json", "jsonc");

    [Theory]
    [MemberData(nameof(JsonBlocksData))]
    public void JsonBlock_LoadsAsItsKind(string file, int line)
    {
        var block = DocSet.Block(file, line);
        var root = ParseOrFail(block);
        var kind = JsonBlocks.KindOf(root);
        var isCliInput = block.Info.Contains("file=", StringComparison.Ordinal);
        if (block.HasMarker(Markers.InvalidWorkflow))
        {
            Assert.True(kind != JsonBlockKind.Other, $"{block.Location} is marked {Markers.InvalidWorkflow} but is not a workflow, step or condition.");
            Assert.True(JsonBlocks.Check(root, kind, plan: true).Any(d => d.IsError), $"{block.Location} is marked {Markers.InvalidWorkflow} but loads and plans without errors.");
            return;
        }

        if (kind == JsonBlockKind.Other)
        {
            return;
        }

        // Errors fail, and so does an unknown field: in an example it is a typo the reader would copy (the CLI's inputs
        // show typos on purpose, and the CLI test checks what is reported).
        var errors = JsonBlocks.Check(root, kind, plan: !isCliInput)
            .Where(d => d.IsError || (d.Code == DiagnosticCodes.UnknownField && !isCliInput))
            .ToList();

        Assert.True(errors.Count == 0, $"The {kind} at {block.Location} does not {(isCliInput || kind != JsonBlockKind.Workflow ? "load" : "load and plan")}:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public void WorkflowFormat_EveryStepType_HasAnExampleThatLoads()
    {
        var shown = WorkflowFormatSteps().Select(TypeOf).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(JsonBlocks.StepTypes.Except(shown, StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WorkflowFormat_EveryFieldInTheStepTables_AppearsInAnExampleOfItsStep()
    {
        var doc = DocSet.File("docs/workflow-format.md");
        var steps = WorkflowFormatSteps().ToList();
        var missing = new List<string>();
        foreach (var (types, fields) in FieldTables(doc))
        {
            var shown = steps
                .Where(s => types.Count == 0 || types.Contains(TypeOf(s) ?? string.Empty))
                .SelectMany(JsonBlocks.FieldPaths)
                .ToHashSet(StringComparer.Ordinal);
            missing.AddRange(fields.Where(f => !shown.Contains(f)).Select(f => $"{(types.Count == 0 ? "base" : string.Join('/', types))}: {f}"));
        }

        Assert.True(missing.Count == 0, "Fields in docs/workflow-format.md's tables with no JSON example there:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void WorkflowFormat_ExampleFields_AreReadNotIgnored()
    {
        // The loader warns (ORC006) about unknown fields inside a step's objects; this second check also catches a field
        // the loader knows but drops: saving what was loaded and finding every field again. A field written with a
        // value the saver leaves out (false, or a default) is not looked for.
        var lost = new List<string>();
        foreach (var block in DocSet.Files.SelectMany(f => f.Blocks).Where(b => b.Language == "json" && !b.HasMarker(Markers.InvalidWorkflow) && !b.Info.Contains("file=", StringComparison.Ordinal)))
        {
            var root = JsonBlocks.Parse(block);
            if (JsonBlocks.KindOf(root) is not (JsonBlockKind.Workflow or JsonBlockKind.Step))
            {
                continue;
            }

            var loaded = WorkflowJson.Load(JsonBlocks.KindOf(root) == JsonBlockKind.Step ? $"[{root.GetRawText()}]" : root.GetRawText());
            var saved = JsonBlocks.Parse(new CodeBlock(block.File, block.Line, "json", "json", WorkflowJson.Serialize(loaded.GetDefinitionOrThrow()), null));
            var savedPaths = JsonBlocks.Steps(saved).SelectMany(JsonBlocks.FieldPaths).ToHashSet(StringComparer.OrdinalIgnoreCase);
            lost.AddRange(JsonBlocks.Steps(root)
                .SelectMany(step => step.EnumerateObject()
                    .Where(p => p.Value.ValueKind == JsonValueKind.Object)
                    .SelectMany(p => p.Value.EnumerateObject()
                        .Where(inner => inner.Value.ValueKind is not (JsonValueKind.False or JsonValueKind.Null))
                        .Select(inner => $"{p.Name}.{inner.Name}")))
                .Where(path => !IsFreeForm(path) && !savedPaths.Contains(path))
                .Select(path => $"{block.Location}: {path}"));
        }

        Assert.True(lost.Count == 0, "Fields of the examples the loader does not read:\n" + string.Join('\n', lost.Distinct(StringComparer.Ordinal)));
    }

    [Fact]
    public void KindOf_TellsWorkflowsStepsConditionsAndOtherJsonApart()
    {
        Assert.Equal(JsonBlockKind.Workflow, JsonBlocks.KindOf(Parse("""{ "workflow_steps": [] }""")));
        Assert.Equal(JsonBlockKind.Workflow, JsonBlocks.KindOf(Parse("""[ { "id": "a", "type": "delay", "duration": 1 } ]""")));
        Assert.Equal(JsonBlockKind.Step, JsonBlocks.KindOf(Parse("""{ "id": "a", "type": "delay", "duration": 1 }""")));
        Assert.Equal(JsonBlockKind.Condition, JsonBlocks.KindOf(Parse("""{ "not": true }""")));
        Assert.Equal(JsonBlockKind.Other, JsonBlocks.KindOf(Parse("""{ "channel": "#inbox" }""")));
    }

    [Fact]
    public void Check_BrokenStep_ReportsAnError()
    {
        var diagnostics = JsonBlocks.Check(Parse("""{ "id": "a", "type": "delay" }"""), JsonBlockKind.Step, plan: true);

        Assert.Contains(diagnostics, d => d.IsError && d.Code == "ORC003");
    }

    private static System.Text.Json.JsonElement Parse(string json) =>
        JsonBlocks.Parse(new CodeBlock("test.md", 1, "json", "json", json, null));

    private static System.Text.Json.JsonElement ParseOrFail(CodeBlock block)
    {
        try
        {
            return JsonBlocks.Parse(block);
        }
        catch (System.Text.Json.JsonException e)
        {
            Assert.Fail($"The JSON block at {block.Location} does not parse: {e.Message} (block line {e.LineNumber + 1})");
            throw;
        }
    }

    /// <summary>The steps of the loading examples of the format reference (not those marked invalid).</summary>
    private static IEnumerable<System.Text.Json.JsonElement> WorkflowFormatSteps() =>
        DocSet.File("docs/workflow-format.md").Blocks
            .Where(b => b.Language == "json" && !b.HasMarker(Markers.InvalidWorkflow))
            .SelectMany(b => JsonBlocks.Steps(JsonBlocks.Parse(b)));

    /// <summary>
    /// The field tables of the format reference: the base fields (applying to every type) and, under each
    /// <c>### `type`</c> heading of "Step types", the step fields, from the first cell of each row.
    /// </summary>
    private static IEnumerable<(IReadOnlySet<string> Types, IReadOnlyList<string> Fields)> FieldTables(DocFile doc)
    {
        string? section = null;
        HashSet<string> types = [];
        List<string> fields = [];
        foreach (var line in doc.Lines)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("### ", StringComparison.Ordinal))
            {
                if (fields.Count > 0)
                {
                    yield return (types, fields);
                }

                section = line.StartsWith("## ", StringComparison.Ordinal) ? line[3..] : section;
                types = line.StartsWith("### ", StringComparison.Ordinal)
                    ? [.. BacktickedWords(line).Where(JsonBlocks.StepTypes.Contains)]
                    : [];
                fields = [];
                continue;
            }

            var inStepTable = section == "Step types" && types.Count > 0;
            var inBaseTable = section == "Base fields (every step)";
            if ((inStepTable || inBaseTable) && line.StartsWith("| `", StringComparison.Ordinal))
            {
                fields.AddRange(BacktickedWords(line.Split('|')[1]));
            }
        }

        if (fields.Count > 0)
        {
            yield return (types, fields);
        }
    }

    /// <summary>Objects whose keys are the author's own (parameters, schemas, mappings, cases), not format fields.</summary>
    private static bool IsFreeForm(string path) =>
        path.Split('.')[0] is "params" or "metadata" or "outputSchema" or "schema" or "outputMapping" or "inputs" or "cases" or "context" or "fallback" or "condition" or "executeIf";

    private static string? TypeOf(System.Text.Json.JsonElement step) =>
        step.TryGetProperty("type", out var type) ? type.GetString() : null;

    private static IEnumerable<string> BacktickedWords(string text) =>
        text.Split('`').Where((_, i) => i % 2 == 1);
}
