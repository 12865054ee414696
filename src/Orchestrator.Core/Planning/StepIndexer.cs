using System.Globalization;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>
/// Indexes each step list before its names are resolved: steps by id (reporting duplicates), output variables (reporting
/// names that clash with ids, inputs or reserved roots, and collecting rebinds), the branching step that owns each branch
/// target, and the ids nested in containers (so that reading one from outside is reported as out of scope).
/// </summary>
internal sealed class StepIndexer
{
    private readonly IReadOnlySet<string> _unreadable;
    private readonly PlanDiagnostics _diagnostics;
    private readonly HashSet<string> _nestedIds = new(StringComparer.Ordinal);
    private HashSet<string>? _allIds;

    public StepIndexer(IReadOnlySet<string> unreadable, PlanDiagnostics diagnostics)
    {
        _unreadable = unreadable;
        _diagnostics = diagnostics;
    }

    /// <summary>The ids and output variables of steps nested in containers: read from outside, they are out of scope.</summary>
    public IReadOnlySet<string> NestedIds => _nestedIds;

    /// <summary>Indexes the list's steps by id, reporting a duplicate id (the duplicate is marked, to leave it out of the graph).</summary>
    public Dictionary<string, int> IndexIds(ReadOnlySpan<WorkflowStep> steps, Scope scope, out bool[]? duplicates)
    {
        var count = steps.Length;
        var indexById = new Dictionary<string, int>(count, StringComparer.Ordinal);
        duplicates = null; // Allocated at the first duplicate only; a bit per step keeps hostile input linear.
        for (var i = 0; i < count; i++)
        {
            var step = steps[i];
            if (!indexById.TryAdd(step.Id, i))
            {
                (duplicates ??= new bool[count])[i] = true;
                _diagnostics.Error(DiagnosticCodes.DuplicateStepId, $"The id '{step.Id}' is used by more than one step (first at {scope.StepPath(indexById[step.Id])}).", step.Id, scope.StepPath(i));
            }

            if (scope.Kind != ScopeKind.Workflow)
            {
                _nestedIds.Add(step.Id);
            }
        }

        return indexById;
    }

    /// <summary>
    /// Indexes the list's output variables (and a scatter-gather's <c>gather.outputKey</c>, which names the gathered
    /// data the same way), reporting a name that is also a step id, an input, a reserved root or another output variable
    /// of the list. Null when the list declares none (most hand-written lists).
    /// </summary>
    public Dictionary<string, int>? IndexOutputVariables(WorkflowStep[] steps, Scope scope, WorkflowDefinition root, out Dictionary<string, List<int>>? writers)
    {
        writers = null;
        Dictionary<string, int>? outputs = null;
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            if (step.OutputVariable is { } name)
            {
                IndexOutputVariable(steps, scope, root, i, name, scope.StepPath(i) + ".output_variable", "output variable", ref outputs, ref writers);
            }

            if (step is ScatterGatherStep { Gather.OutputKey: { } key } && key != step.OutputVariable)
            {
                IndexOutputVariable(steps, scope, root, i, key, scope.StepPath(i) + ".gather.outputKey", "gather outputKey", ref outputs, ref writers);
            }
        }

        return outputs;
    }

    private void IndexOutputVariable(WorkflowStep[] steps, Scope scope, WorkflowDefinition root, int i, string name, string path, string what, ref Dictionary<string, int>? outputs, ref Dictionary<string, List<int>>? writers)
    {
        var step = steps[i];
        if (string.IsNullOrWhiteSpace(name))
        {
            _diagnostics.Error(DiagnosticCodes.InvalidValue, $"The step '{step.Id}' has an empty {what}.", step.Id, path);
            return;
        }

        _allIds ??= CollectIds(root.Steps);
        if (name != step.Id && _allIds.Contains(name))
        {
            _diagnostics.Error(DiagnosticCodes.OutputVariableClash, $"The {what} '{name}' of the step '{step.Id}' is also the id of a step; '{{{{{name}}}}}' would be ambiguous.", step.Id, path);
        }
        else if (name is "input" or "inputs" or "config" or "var" or "memory" or "current" or "index" or "item")
        {
            _diagnostics.Error(DiagnosticCodes.OutputVariableClash, $"The {what} '{name}' of the step '{step.Id}' is a reserved name (input, config, var, memory, current, index, item).", step.Id, path);
        }
        else if (scope.InputScope.InputNames is { } inputs && inputs.Contains(name))
        {
            _diagnostics.Error(DiagnosticCodes.OutputVariableClash, $"The {what} '{name}' of the step '{step.Id}' is also the name of an input; '{{{{{name}}}}}' would be ambiguous.", step.Id, path);
        }
        else if (!(outputs ??= new Dictionary<string, int>(StringComparer.Ordinal)).TryAdd(name, i))
        {
            // A rebinding: Rebinds.Validate accepts it when ordered after the earlier writers or exclusive with them.
            writers ??= new Dictionary<string, List<int>>(StringComparer.Ordinal);
            if (!writers.TryGetValue(name, out var list))
            {
                list = [outputs[name]];
                writers.Add(name, list);
            }

            list.Add(i);
        }
        else if (scope.Kind != ScopeKind.Workflow)
        {
            _nestedIds.Add(name);
        }
    }

    /// <summary>Every step id of the workflow being planned, at any depth (an output variable may not take one).</summary>
    private static HashSet<string> CollectIds(EquatableArray<WorkflowStep> steps)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        Add(steps);
        return ids;

        void Add(EquatableArray<WorkflowStep> steps)
        {
            foreach (var step in steps)
            {
                ids.Add(step.Id);
                switch (step)
                {
                    case LoopStep loop:
                        Add(loop.LoopSteps);
                        break;
                    case ParallelGroupStep group:
                        Add(group.Steps);
                        break;
                    case ScatterGatherStep scatter:
                        Add(scatter.Scatter.Steps);
                        break;
                    case SubWorkflowStep sub:
                        Add(sub.WorkflowSteps);
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Which branching step owns each step (the first that names it); null when the list has no conditional or switch
    /// (most lists). Further owners of a step go to <paramref name="extraOwners"/>.
    /// </summary>
    public int[]? AssignBranchOwners(WorkflowStep[] steps, Dictionary<string, int> indexById, Scope scope, out List<(int Target, int Owner)>? extraOwners)
    {
        extraOwners = null;
        List<(int Target, int Owner)>? extra = null;
        if (Array.FindIndex(steps, s => s is ConditionalStep or SwitchStep) < 0)
        {
            return null;
        }

        var owners = new int[steps.Length];
        Array.Fill(owners, -1);
        for (var i = 0; i < steps.Length; i++)
        {
            switch (steps[i])
            {
                case ConditionalStep conditional:
                    AssignTargets(conditional.TrueBranch, "trueBranch");
                    AssignTargets(conditional.FalseBranch, "falseBranch");
                    break;
                case SwitchStep @switch:
                    foreach (var @case in @switch.Cases)
                    {
                        AssignTargets(@case.Targets, "cases." + @case.Value);
                    }

                    AssignTargets(@switch.Default, "default");
                    break;
            }

            void AssignTargets(EquatableArray<string> targets, string field)
            {
                var owner = steps[i];
                for (var t = 0; t < targets.Count; t++)
                {
                    var id = targets[t];
                    var path = $"{scope.StepPath(i)}.{field}[{t.ToString(CultureInfo.InvariantCulture)}]";
                    if (!indexById.TryGetValue(id, out var target))
                    {
                        if (!_unreadable.Contains(id))
                        {
                            _diagnostics.Error(DiagnosticCodes.UnknownBranchTarget, $"The step '{owner.Id}' branches to '{id}', which is not a step of the same list.", owner.Id, path);
                        }
                    }
                    else if (target == i)
                    {
                        _diagnostics.Error(DiagnosticCodes.ConflictingBranchTarget, $"The step '{owner.Id}' names itself as a branch target.", owner.Id, path);
                    }
                    else if (owners[target] >= 0 && owners[target] != i)
                    {
                        // A target of several branching steps: it runs when any of them selects it (the runner reads
                        // every branch edge), so each owner gets an edge.
                        (extra ??= []).Add((target, i));
                    }
                    else
                    {
                        owners[target] = i;
                    }
                }
            }
        }

        extraOwners = extra;
        return owners;
    }
}
