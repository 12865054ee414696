using System.Reflection;
using System.Text.Json;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;
using Orchestrator.Docs.Tests.Markdown;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>What a ```json block of the docs holds, told from its shape.</summary>
public enum JsonBlockKind
{
    /// <summary>An agent record (an object with <c>workflow_steps</c>) or a list of steps: loaded and planned.</summary>
    Workflow,

    /// <summary>One step (an object whose <c>type</c> is a step type, or a legacy entry): loaded as a one-step list.</summary>
    Step,

    /// <summary>A condition (an object with <c>field</c>, <c>and</c>, <c>or</c> or <c>not</c>): loaded as a conditional's condition.</summary>
    Condition,

    /// <summary>Any other JSON (a CLI script, an output): parsed only.</summary>
    Other,
}

/// <summary>Reads and checks the ```json blocks of the docs with the core's own loader and planner.</summary>
public static class JsonBlocks
{
    /// <summary>The step type names of the format (<see cref="StepTypeNames"/>).</summary>
    public static IReadOnlySet<string> StepTypes { get; } = typeof(StepTypeNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Parses the block as the format reads documents: comments and trailing commas tolerated.</summary>
    public static JsonElement Parse(CodeBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        using var document = JsonDocument.Parse(block.Text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.Clone();
    }

    /// <summary>What the JSON holds.</summary>
    public static JsonBlockKind KindOf(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root.GetArrayLength() > 0 && root.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object) ? JsonBlockKind.Workflow : JsonBlockKind.Other;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return JsonBlockKind.Other;
        }

        if (root.TryGetProperty("workflow_steps", out _))
        {
            return JsonBlockKind.Workflow;
        }

        if (IsStep(root))
        {
            return JsonBlockKind.Step;
        }

        return root.TryGetProperty("field", out _) || root.TryGetProperty("and", out _) || root.TryGetProperty("or", out _) || root.TryGetProperty("not", out _)
            ? JsonBlockKind.Condition
            : JsonBlockKind.Other;
    }

    /// <summary>True for an object that is a typed step or a legacy entry.</summary>
    public static bool IsStep(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && ((element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && (StepTypes.Contains(type.GetString()!) || type.GetString() == "plugin_action"))
            || element.TryGetProperty("plugin_action", out _));

    /// <summary>
    /// The diagnostics of loading the block (and planning it when it is a whole workflow and <paramref name="plan"/>).
    /// </summary>
    public static IReadOnlyList<WorkflowDiagnostic> Check(JsonElement root, JsonBlockKind kind, bool plan)
    {
        var loaded = kind switch
        {
            JsonBlockKind.Workflow => WorkflowJson.Load(root.GetRawText()),
            JsonBlockKind.Step => WorkflowJson.Load($"[{root.GetRawText()}]"),
            JsonBlockKind.Condition => WorkflowJson.Load($$"""[ { "id": "check", "type": "conditional", "condition": {{root.GetRawText()}} } ]"""),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only workflows, steps and conditions load."),
        };

        return plan && kind == JsonBlockKind.Workflow ? new WorkflowPlanner().Plan(loaded).Diagnostics : loaded.Diagnostics;
    }

    /// <summary>Every step object anywhere inside <paramref name="root"/> (inner steps included).</summary>
    public static IEnumerable<JsonElement> Steps(JsonElement root)
    {
        if (IsStep(root))
        {
            yield return root;
        }

        var children = root.ValueKind switch
        {
            JsonValueKind.Object => root.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => root.EnumerateArray(),
            _ => [],
        };
        foreach (var step in children.SelectMany(Steps))
        {
            yield return step;
        }
    }

    /// <summary>The field paths a step object shows: its properties, and one level into object values (<c>scatter.input</c>).</summary>
    public static IEnumerable<string> FieldPaths(JsonElement step)
    {
        foreach (var property in step.EnumerateObject())
        {
            yield return property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var inner in property.Value.EnumerateObject())
                {
                    yield return $"{property.Name}.{inner.Name}";
                }
            }
        }
    }
}
