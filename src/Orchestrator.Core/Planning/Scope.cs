namespace Orchestrator.Core.Planning;

/// <summary>What kind of step list a <see cref="Scope"/> is.</summary>
internal enum ScopeKind
{
    Workflow,
    LoopBody,
    ParallelBody,
    ScatterBody,
    SubWorkflow,
}

/// <summary>
/// One step list being planned and the names it can see: its own steps, its variables (<c>current</c> and
/// <c>index</c> in a loop, the item variable in a scatter), and through <see cref="Parent"/> the enclosing lists.
/// </summary>
internal sealed class Scope
{
    public Scope(ScopeKind kind, Scope? parent, string listPath)
    {
        Kind = kind;
        Parent = parent;
        ListPath = listPath;
    }

    public ScopeKind Kind { get; }

    /// <summary>The enclosing list whose names this one may read; null for a workflow or a sub-workflow that does not inherit its context.</summary>
    public Scope? Parent { get; }

    /// <summary>The JSON path of the list, such as <c>$.workflow_steps</c> or <c>$.workflow_steps[0].loopSteps</c>.</summary>
    public string ListPath { get; }

    /// <summary>
    /// The document position of each step of the list, where it differs from the list position (steps that could not
    /// be loaded are left out of the definition, but paths must name where a step is in the document).
    /// </summary>
    public IReadOnlyList<int>? Positions { get; init; }

    /// <summary>The JSON path of the step at <paramref name="index"/> in this list.</summary>
    public string StepPath(int index) =>
        ListPath + "[" + (Positions is null ? index : Positions[index]).ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>The scatter item variable, for a scatter body.</summary>
    public string? ItemVariable { get; init; }

    /// <summary>Declared input names, for a workflow; null where inputs are not declared (any name is accepted).</summary>
    public HashSet<string>? InputNames { get; init; }

    /// <summary>Whether the workflow declared inputs (a bare list of steps does not).</summary>
    public bool InputsDeclared { get; init; }

    /// <summary>Whether <paramref name="name"/> is a variable of this scope or one it is nested in.</summary>
    public bool DefinesVariable(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if ((scope.Kind == ScopeKind.LoopBody && name is "current" or "index" or "item")
                || (scope.Kind == ScopeKind.ScatterBody && (name == scope.ItemVariable || name == "index")))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The scope that decides which inputs exist: the nearest workflow or sub-workflow.</summary>
    public Scope InputScope
    {
        get
        {
            var scope = this;
            while (scope.Kind is not (ScopeKind.Workflow or ScopeKind.SubWorkflow) && scope.Parent is not null)
            {
                scope = scope.Parent;
            }

            return scope;
        }
    }
}
