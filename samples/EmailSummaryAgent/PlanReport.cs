using System.Globalization;
using Orchestrator.Core;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;

/// <summary>
/// Prints what loading and planning a workflow document produced, in a fixed layout and order (steps in document
/// order, diagnostics, levels and edges in the order the library reports them), so the output is the same on every run.
/// </summary>
internal sealed class PlanReport(TextWriter output)
{
    public void Write(string displayName, WorkflowLoadResult loaded, PlanningResult planned, bool mermaid)
    {
        output.WriteLine($"== {displayName} ==");
        var definition = loaded.Definition;
        if (definition is null)
        {
            output.WriteLine("agent:       (the document could not be read)");
        }
        else
        {
            output.WriteLine($"agent:       {definition.Name ?? "(unnamed)"}");
            var total = CountSteps(definition.Steps);
            var inner = total == definition.Steps.Count ? string.Empty : $" ({Number(total)} with inner steps)";
            var unreadable = loaded.UnreadableStepIds.Count == 0 ? string.Empty : $", {Number(loaded.UnreadableStepIds.Count)} more could not be read";
            output.WriteLine($"steps:       {Number(definition.Steps.Count)}{inner}{unreadable}");
            WriteSteps(definition.Steps, "  ");
        }

        // The planner's diagnostics include the load's, so they are printed once, from here.
        WriteDiagnostics(planned.Diagnostics);
        if (planned.Plan is { } plan)
        {
            WritePlan(plan, indent: string.Empty);
            if (mermaid)
            {
                output.WriteLine("mermaid:");
                output.Write(plan.ToMermaid());
            }
        }
        else
        {
            output.WriteLine("plan:        none (the errors above must be fixed first)");
        }

        output.WriteLine();
    }

    private void WritePlan(ExecutionPlan plan, string indent)
    {
        output.WriteLine($"{indent}levels:");
        for (var i = 0; i < plan.Levels.Count; i++)
        {
            output.WriteLine($"{indent}  level {Number(i + 1)}: {string.Join(", ", plan.Levels[i])}");
        }

        output.WriteLine($"{indent}critical path: {string.Join(" -> ", plan.CriticalPath)}");
        if (plan.Edges.Count == 0)
        {
            output.WriteLine($"{indent}edges: none");
        }
        else
        {
            output.WriteLine($"{indent}edges:");
            foreach (var edge in plan.Edges)
            {
                output.WriteLine($"{indent}  {edge.From} -> {edge.To} ({EdgeKindName(edge.Kind)})");
            }
        }

        foreach (var step in plan.Steps)
        {
            if (step.Body is { } body)
            {
                output.WriteLine($"{indent}inside {step.Id} ({step.Step.Type}):");
                WritePlan(body, indent + "  ");
            }
        }
    }

    private static string EdgeKindName(PlanEdgeKind kind) => kind switch
    {
        PlanEdgeKind.Declared => "declared",
        PlanEdgeKind.Reference => "reference",
        PlanEdgeKind.Branch => "branch",
        _ => kind.ToString(),
    };

    private void WriteSteps(EquatableArray<WorkflowStep> steps, string indent)
    {
        foreach (var step in steps)
        {
            var after = step.Dependencies.IsEmpty ? string.Empty : $"  after: {string.Join(", ", step.Dependencies)}";
            var label = indent + step.Id;
            output.WriteLine($"{label,-16} {step.Type,-15} {Describe(step)}{after}".TrimEnd());
            WriteSteps(InnerSteps(step), indent + "    ");
        }
    }

    private void WriteDiagnostics(IReadOnlyList<WorkflowDiagnostic> diagnostics)
    {
        if (diagnostics.Count == 0)
        {
            output.WriteLine("diagnostics: none");
            return;
        }

        var errors = diagnostics.Count(d => d.IsError);
        var warnings = diagnostics.Count - errors;
        output.WriteLine($"diagnostics: {Plural(errors, "error")}, {Plural(warnings, "warning")}");
        foreach (var diagnostic in diagnostics)
        {
            var severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
            var step = diagnostic.StepId is null ? "document" : $"step '{diagnostic.StepId}'";
            var path = diagnostic.Path is null ? string.Empty : $" at {diagnostic.Path}";
            output.WriteLine($"  {diagnostic.Code} {severity,-7} {step}{path}");
            output.WriteLine($"         {diagnostic.Message}");
        }
    }

    private static string Describe(WorkflowStep step)
    {
        var what = step switch
        {
            ActionStep action => $"{action.Plugin}.{action.Action}",
            _ => null,
        };
        var name = step.Name is null ? null : $"\"{step.Name}\"";
        return string.Join(" ", new[] { what, name }.Where(part => part is not null));
    }

    private static EquatableArray<WorkflowStep> InnerSteps(WorkflowStep step) => step switch
    {
        LoopStep loop => loop.LoopSteps,
        ParallelGroupStep group => group.Steps,
        ScatterGatherStep scatter => scatter.Scatter.Steps,
        SubWorkflowStep sub => sub.WorkflowSteps,
        _ => default,
    };

    private static int CountSteps(EquatableArray<WorkflowStep> steps)
    {
        var count = 0;
        foreach (var step in steps)
        {
            count += 1 + CountSteps(InnerSteps(step));
        }

        return count;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Plural(int count, string noun) => $"{Number(count)} {noun}{(count == 1 ? string.Empty : "s")}";
}
