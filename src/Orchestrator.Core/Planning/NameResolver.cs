using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>
/// Resolves the names steps use: each to a step of its list (by id, or by output variable, taking rebinds into account),
/// an input or a variable of its scope, or else to the enclosing list; what nothing resolves is reported once the whole
/// workflow is planned. Each resolved reference into a step's data is then type-checked by <see cref="DataPathChecker"/>.
/// </summary>
internal sealed class NameResolver
{
    private readonly IReadOnlySet<string> _unreadable;
    private readonly IReadOnlySet<string> _nestedIds;
    private readonly PlanDiagnostics _diagnostics;
    private readonly List<ReferencePath> _scratch = [];
    private readonly List<ScopedNameUse> _unresolved = [];

    public NameResolver(IReadOnlySet<string> unreadable, IReadOnlySet<string> nestedIds, PlanDiagnostics diagnostics)
    {
        _unreadable = unreadable;
        _nestedIds = nestedIds;
        _diagnostics = diagnostics;
    }

    /// <summary>Adds to <paramref name="uses"/> every name the step uses (references in its templates and conditions, declared dependencies).</summary>
    public void CollectUses(WorkflowStep step, List<NameUse> uses) => ReferenceCollector.Collect(step, uses, _scratch);

    /// <summary>Reports the rebinds of an output variable that are neither ordered after the earlier writer nor exclusive with it.</summary>
    public void ReportRebindClashes(Rebinds rebinds, WorkflowStep[] stepArray, Scope scope)
    {
        foreach (var (name, later, earlier) in rebinds.Unordered())
        {
            _diagnostics.Error(
                DiagnosticCodes.OutputVariableClash,
                $"The output variable '{name}' of the step '{stepArray[later].Id}' is also the output variable of '{stepArray[earlier].Id}' ({scope.StepPath(earlier)}); a step may rebind a name only when it reads it (so it runs after the earlier writer) or sits in a branch exclusive with the earlier writer.",
                stepArray[later].Id,
                scope.StepPath(later) + ".output_variable");
        }
    }

    /// <summary>
    /// Resolves one name used by step <paramref name="v"/>: to a step of the list (adding the edge), to an input or a
    /// variable of the scope, or, when the list cannot resolve it, to the enclosing list (<paramref name="escapes"/>) or
    /// to the names reported at the end.
    /// </summary>
    public void Resolve(in ScopedNameUse use, int v, Scope scope, ListNames names, ref PooledList<int> predecessors, ref PooledList<PlanEdgeKind> kinds, int start, List<ScopedNameUse>? escapes)
    {
        var name = use.Use.Name;
        var indexById = names.IndexById;
        if (use.Use.Kind == PlanEdgeKind.Reference)
        {
            switch (name)
            {
                case "input":
                    CheckInput(use, scope);
                    return;
                case "var" or "memory":
                    return;
            }

            if ((use.Use.Variables is FieldVariables.Item or FieldVariables.ItemFields && name is "item" or "value" or "index" or "accumulator")
                || scope.DefinesVariable(name))
            {
                return;
            }
        }

        var viaOutputVariable = false;
        if (indexById.TryGetValue(name, out var target)
            || (use.Use.Kind == PlanEdgeKind.Reference && names.Outputs is not null && (viaOutputVariable = names.Outputs.TryGetValue(name, out target))))
        {
            if (target == v)
            {
                if (use.Use.Variables == FieldVariables.Rollback)
                {
                    return; // A rollback runs after its step and may read the step's own output.
                }

                if (!ReferenceEquals(use.Scope, scope))
                {
                    _diagnostics.Error(
                        DiagnosticCodes.ReferenceOutOfScope,
                        $"The step '{use.StepId}' is inside '{name}' and cannot read its output, which exists only once '{name}' has finished.",
                        use.StepId,
                        use.Path);
                    return;
                }
            }

            if (viaOutputVariable && names.Rebinds is { } rebinds && rebinds.Writers.TryGetValue(name, out var writers))
            {
                // A rebound name: the nearest writer before the reader, and the writers in branches exclusive with it.
                target = Rebinds.Nearest(writers, v);
                foreach (var alternative in rebinds.Alternatives(name, writers, target))
                {
                    PlanGraphBuilder.AddPredecessor(ref predecessors, ref kinds, start, alternative, PlanEdgeKind.Reference);
                }

                rebinds.AddReader(name, v);
            }

            PlanGraphBuilder.AddPredecessor(ref predecessors, ref kinds, start, target, use.Use.Kind);
            if (use.Use.Kind == PlanEdgeKind.Reference)
            {
                DataPathChecker.Check(_diagnostics, use, names.Steps[target], viaOutputVariable);
            }

            return;
        }

        if (use.Use.Kind == PlanEdgeKind.Reference && scope.Kind == ScopeKind.SubWorkflow && scope.InputNames is { } subInputs && subInputs.Contains(name))
        {
            return; // A sub-workflow's steps read its inputs by bare name ({{x}} for {{input.x}}).
        }

        if (use.Use.Variables == FieldVariables.ItemFields && use.Use.Kind == PlanEdgeKind.Reference)
        {
            return; // A field of the item (see FieldVariables.ItemFields); ItemScope reads it when nothing else has the name.
        }

        if (escapes is not null && scope.Parent is not null)
        {
            escapes.Add(use);
            return;
        }

        _unresolved.Add(use);
    }

    private void CheckInput(in ScopedNameUse use, Scope scope)
    {
        var inputScope = scope.InputScope;
        var reference = use.Use.Reference!;
        if (reference.Segments.IsEmpty || reference.Segments[0].Kind != PathSegmentKind.Property)
        {
            return;
        }

        var inputName = reference.Segments[0].Name!;
        if (inputScope.InputNames is null || inputScope.InputNames.Contains(inputName))
        {
            return;
        }

        if (!inputScope.InputsDeclared && inputScope.Kind == ScopeKind.Workflow)
        {
            _diagnostics.Warning(
                DiagnosticCodes.UndeclaredInput,
                $"The step '{use.StepId}' reads the input '{inputName}', but the document declares no inputs (no 'input_schema').",
                use.StepId,
                use.Path);
            return;
        }

        _diagnostics.Error(
            DiagnosticCodes.UndeclaredInput,
            $"The step '{use.StepId}' reads the input '{inputName}', which is not declared. Declared inputs: {PlanDiagnostics.Join(inputScope.InputNames)}.",
            use.StepId,
            use.Path);
    }

    /// <summary>Reports the names no list resolved, once the whole workflow is planned (an id nested elsewhere is out of scope, not unknown).</summary>
    public void ReportUnresolved()
    {
        foreach (var use in _unresolved)
        {
            var name = use.Use.Name;
            if (_unreadable.Contains(name) || (name == "config" && use.Use.Kind == PlanEdgeKind.Reference))
            {
                // A step that could not be read (its own error is reported), or {{config.x}} with no step named config.
                continue;
            }

            if (_nestedIds.Contains(name))
            {
                _diagnostics.Error(
                    DiagnosticCodes.ReferenceOutOfScope,
                    $"The step '{use.StepId}' uses '{name}', which is an inner step of another step (a loop, group, scatter or sub-workflow) and cannot be read from here.",
                    use.StepId,
                    use.Path);
            }
            else if (use.Use.Kind == PlanEdgeKind.Declared)
            {
                _diagnostics.Error(DiagnosticCodes.UnknownDependency, $"The step '{use.StepId}' depends on '{name}', which does not exist.", use.StepId, use.Path);
            }
            else
            {
                _diagnostics.Error(
                    DiagnosticCodes.UnknownStepReference,
                    $"The step '{use.StepId}' reads '{{{{{use.Use.Reference}}}}}', but no step '{name}' exists (nor an input, variable or memory by that name).",
                    use.StepId,
                    use.Path);
            }
        }
    }
}
