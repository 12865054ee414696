using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Planning;

/// <summary>
/// Turns a workflow definition into an <see cref="ExecutionPlan"/>: builds the step graph from declared dependencies,
/// from references between steps (a step that reads <c>{{step1.data}}</c> waits for step1 even if it does not say so)
/// and from branches, including steps nested in loops, groups, scatters and sub-workflows; validates it and reports
/// every problem at once. Thread-safe and reusable; planning is linear in steps + edges.
/// </summary>
public sealed class WorkflowPlanner
{
    private static readonly HashSet<string> s_none = [];
    private readonly IPluginCatalog? _catalog;

    /// <summary>Creates a planner.</summary>
    /// <param name="catalog">The host's plugin catalog; when given, plugins, actions and required parameters are checked.</param>
    public WorkflowPlanner(IPluginCatalog? catalog = null) => _catalog = catalog;

    /// <summary>Plans a definition.</summary>
    /// <param name="definition">The workflow.</param>
    /// <returns>The plan, or the problems that prevent one.</returns>
    public PlanningResult Plan(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var diagnostics = new List<WorkflowDiagnostic>();
        var plan = new PlanningSession(_catalog, s_none, diagnostics).Plan(definition);
        return new PlanningResult(plan, diagnostics);
    }

    /// <summary>Plans what a document load produced, reporting the load's problems with the planner's.</summary>
    /// <param name="loaded">The load result.</param>
    /// <returns>The plan, or every problem found while loading and planning.</returns>
    public PlanningResult Plan(WorkflowLoadResult loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var diagnostics = new List<WorkflowDiagnostic>(loaded.Diagnostics);
        if (loaded.Definition is null)
        {
            return new PlanningResult(null, diagnostics);
        }

        var plan = new PlanningSession(_catalog, loaded.UnreadableStepIds, diagnostics, loaded.StepPositions) { StepsPath = loaded.StepsPath }.Plan(loaded.Definition);
        return new PlanningResult(plan, diagnostics);
    }
}
