namespace Orchestrator.Core.Planning;

/// <summary>
/// A name used by a step, with where the use is for diagnostics. A use that the step's own list cannot resolve escapes
/// to the enclosing list as one of these (a container then waits for what its inner steps read).
/// </summary>
internal readonly record struct ScopedNameUse(NameUse Use, string StepId, Scope Scope, int Index)
{
    /// <summary>The JSON path of the use: the step's path, the field and the place of the name in its template.</summary>
    public string Path
    {
        get
        {
            var step = Scope.StepPath(Index);
            return step + "." + Use.FieldPath + TemplateLocator.Find(Use.Source, Use.Reference);
        }
    }
}
