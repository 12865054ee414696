using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary>
/// How <c>gather.from</c> names the per-item value of a scatter-gather: <c>name</c> or <c>name.path.to.field</c>, where
/// <c>name</c> is an inner step's id or, failing that, its name. (Output variables, once steps carry them, are the
/// form compiled documents use; until then the id or name of the step that produces the value.)
/// </summary>
internal static class GatherSource
{
    /// <summary>Splits <paramref name="from"/> into the step it names and the path into that step's data.</summary>
    public static (string Name, string[] Path) Split(string from)
    {
        var parts = from.Split('.');
        return (parts[0], parts[1..]);
    }

    /// <summary>Whether <paramref name="step"/> is the step <paramref name="name"/> names (by id, or by name).</summary>
    public static bool Names(WorkflowStep step, string name) =>
        string.Equals(step.Id, name, StringComparison.Ordinal) || string.Equals(step.Name, name, StringComparison.Ordinal);

    /// <summary>Whether some step of <paramref name="steps"/> is the one <paramref name="from"/> names.</summary>
    public static bool Resolves(EquatableArray<WorkflowStep> steps, string from)
    {
        var (name, _) = Split(from);
        foreach (var step in steps)
        {
            if (Names(step, name))
            {
                return true;
            }
        }

        return false;
    }
}
