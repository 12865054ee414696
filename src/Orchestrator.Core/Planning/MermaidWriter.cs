using System.Text;

namespace Orchestrator.Core.Planning;

/// <summary>Renders a plan as a Mermaid flowchart.</summary>
internal static class MermaidWriter
{
    public static string Write(ExecutionPlan plan)
    {
        var builder = new StringBuilder("flowchart TD\n");
        Write(plan, builder, prefix: string.Empty, indent: "    ");
        return builder.ToString();
    }

    private static void Write(ExecutionPlan plan, StringBuilder builder, string prefix, string indent)
    {
        foreach (var step in plan.Steps)
        {
            var node = NodeId(prefix, step.Index);
            var label = Escape($"{step.Id} ({step.Step.Type})");
            if (step.Body is { } body)
            {
                builder.Append(indent).Append("subgraph ").Append(node).Append("[\"").Append(label).Append("\"]\n");
                Write(body, builder, node + "_", indent + "    ");
                builder.Append(indent).Append("end\n");
            }
            else
            {
                builder.Append(indent).Append(node).Append("[\"").Append(label).Append("\"]\n");
            }
        }

        foreach (var step in plan.Steps)
        {
            var slot = plan.PredecessorOffsets[step.Index];
            foreach (var predecessor in step.Dependencies)
            {
                var arrow = plan.EdgeKind(slot++) switch
                {
                    PlanEdgeKind.Declared => " --> ",
                    PlanEdgeKind.Reference => " -. data .-> ",
                    _ => " -. branch .-> ",
                };
                builder.Append(indent).Append(NodeId(prefix, predecessor.Index)).Append(arrow).Append(NodeId(prefix, step.Index)).Append('\n');
            }
        }
    }

    private static string NodeId(string prefix, int index) => prefix + "n" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);
}
