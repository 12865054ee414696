using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.TestSupport;

/// <summary>Loads and plans workflows written inline in tests or kept as fixtures.</summary>
internal static class Workflows
{
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static WorkflowDefinition Load(string json)
    {
        var result = WorkflowJson.Load(json);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Definition!;
    }

    public static PlanningResult Plan(string json, IPluginCatalog? catalog = null) =>
        new WorkflowPlanner(catalog).Plan(WorkflowJson.Load(json));

    public static ExecutionPlan PlanOrFail(string json, IPluginCatalog? catalog = null)
    {
        var result = Plan(json, catalog);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Plan!;
    }

    public static string[] DependencyIds(this ExecutionPlan plan, string stepId) =>
        [.. plan[stepId].Dependencies.Select(s => s.Id).Order(StringComparer.Ordinal)];
}
