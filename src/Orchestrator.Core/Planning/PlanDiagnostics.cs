using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Core.Planning;

/// <summary>
/// The problems one planning pass finds, added to one list in the order found: every part of the planner reports here
/// and none throws, so the caller gets every problem at once, in document order. A struct over the caller's list: it
/// costs the planner no allocation.
/// </summary>
internal readonly struct PlanDiagnostics
{
    private readonly List<WorkflowDiagnostic> _diagnostics;

    public PlanDiagnostics(List<WorkflowDiagnostic> diagnostics) => _diagnostics = diagnostics;

    /// <summary>Whether any problem so far (including those found before planning, while loading) is an error.</summary>
    public bool HasErrors => _diagnostics.Exists(d => d.IsError);

    /// <summary>Adds an error: the workflow cannot be planned.</summary>
    public void Error(string code, string message, string? stepId, string? path) =>
        _diagnostics.Add(WorkflowDiagnostic.Error(code, message, stepId, path));

    /// <summary>Adds a warning: the workflow can run, but likely not as meant.</summary>
    public void Warning(string code, string message, string? stepId, string? path) =>
        _diagnostics.Add(WorkflowDiagnostic.Warning(code, message, stepId, path));

    /// <summary>Adds information: a hint to write the workflow more clearly.</summary>
    public void Info(string code, string message, string? stepId, string? path) =>
        _diagnostics.Add(WorkflowDiagnostic.Info(code, message, stepId, path));

    /// <summary>A list of names for a message: comma-separated, or <c>(none)</c>.</summary>
    public static string Join(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
