using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Cli.Output;

/// <summary>
/// Prints a plan: text for people, <c>{"levels","critical_path","edges","steps"}</c> JSON (each step with its declared data shape), or the library's Mermaid flowchart.
/// Text and JSON show the top-level steps; Mermaid also draws container bodies (loops, groups) as subgraphs.
/// </summary>
internal static class PlanWriter
{
    public static void Write(TextWriter output, ExecutionPlan plan, string path, OutputFormat format)
    {
        switch (format)
        {
            case OutputFormat.Json:
                JsonOutput.Write(output, plan, WriteJson);
                break;
            case OutputFormat.Mermaid:
                output.Write(plan.ToMermaid());
                break;
            default:
                WriteText(output, plan, path);
                break;
        }
    }

    private static void WriteText(TextWriter output, ExecutionPlan plan, string path)
    {
        var name = plan.Definition.Name ?? plan.Definition.Id ?? path;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Plan of '{name}': {plan.Steps.Count} steps in {plan.LevelCount} levels"));
        output.WriteLine("Levels (the steps of a level can run at the same time):");
        for (var level = 0; level < plan.Levels.Count; level++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {level}: {string.Join(", ", plan.Levels[level])}"));
        }

        output.WriteLine("Critical path: " + string.Join(" -> ", plan.CriticalPath));
        output.WriteLine(plan.Edges.Count == 0 ? "Edges: none" : "Edges:");
        foreach (var edge in plan.Edges)
        {
            output.WriteLine($"  {edge.From} -> {edge.To} ({WireNames.Of(edge.Kind)})");
        }
    }

    private static void WriteJson(Utf8JsonWriter writer, ExecutionPlan plan)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("levels");
        JsonOutput.WriteCompact(writer, plan.Levels, static (compact, levels) =>
        {
            compact.WriteStartArray();
            foreach (var level in levels)
            {
                WriteIds(compact, level);
            }

            compact.WriteEndArray();
        });
        writer.WritePropertyName("critical_path");
        JsonOutput.WriteCompact(writer, plan.CriticalPath, WriteIds);
        writer.WriteStartArray("edges");
        foreach (var edge in plan.Edges)
        {
            writer.WriteStartObject();
            writer.WriteString("from", edge.From);
            writer.WriteString("to", edge.To);
            writer.WriteString("kind", WireNames.Of(edge.Kind));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        // Each top-level step's name for its data and the data's declared shape (its output_schema), when it has them.
        writer.WriteStartArray("steps");
        foreach (var planned in plan.Steps)
        {
            var step = planned.Step;
            writer.WriteStartObject();
            writer.WriteString("id", step.Id);
            writer.WriteString("type", step.Type);
            if (step.OutputVariable is { } variable)
            {
                writer.WriteString("output_variable", variable);
            }

            if (step.OutputDataSchema is { } schema)
            {
                writer.WritePropertyName("data");
                JsonSerializer.Serialize(writer, schema, (JsonTypeInfo<DataSchema>)WorkflowJson.DefaultOptions.GetTypeInfo(typeof(DataSchema)));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteIds(Utf8JsonWriter writer, IReadOnlyList<string> ids)
    {
        writer.WriteStartArray();
        foreach (var id in ids)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
    }
}
