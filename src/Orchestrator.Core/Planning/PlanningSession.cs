using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Planning;

/// <summary>
/// One planning pass over a workflow. Linear in steps + edges: every step list is indexed once, every name a step
/// uses is resolved with one dictionary look-up per enclosing list, and the graph is kept as compressed arrays.
/// Problems are collected, never thrown, so every one of them is reported at once.
/// </summary>
internal sealed class PlanningSession
{
    private readonly IPluginCatalog? _catalog;
    private readonly IReadOnlySet<string> _unreadable;
    private readonly List<WorkflowDiagnostic> _diagnostics;
    private readonly List<ReferencePath> _scratch = [];
    private readonly HashSet<string> _nestedIds = new(StringComparer.Ordinal);
    private readonly List<Escape> _unresolved = [];
    private readonly IReadOnlyList<int>? _positions;
    private int _depth = 1;

    public PlanningSession(IPluginCatalog? catalog, IReadOnlySet<string> unreadable, List<WorkflowDiagnostic> diagnostics, IReadOnlyList<int>? positions = null)
    {
        _positions = positions;
        _catalog = catalog;
        _unreadable = unreadable;
        _diagnostics = diagnostics;
    }

    private HashSet<string>? _allIds;
    private WorkflowDefinition? _root;

    /// <summary>The JSON path of the document's step list: <c>$.workflow_steps</c>, or <c>$</c> for a bare list of steps.</summary>
    public string StepsPath { get; init; } = "$.workflow_steps";

    private bool HasErrors => _diagnostics.Exists(d => d.IsError);

    public ExecutionPlan? Plan(WorkflowDefinition definition)
    {
        _root = definition;
        var inputNames = ValidateInputs(definition);
        var scope = new Scope(ScopeKind.Workflow, null, StepsPath)
        {
            InputNames = inputNames,
            InputsDeclared = !definition.InputSchema.IsEmpty,
            Positions = _positions,
        };

        var root = PlanList(definition.Steps, scope, escapes: null, definition);
        ReportUnresolved();
        ValidateOutputs(definition, root, scope);
        return HasErrors ? null : root.Materialize();
    }

    private ListPlan PlanList(EquatableArray<WorkflowStep> list, Scope scope, List<Escape>? escapes, WorkflowDefinition definition)
    {
        var steps = list.AsSpan();
        var count = steps.Length;
        var indexById = new Dictionary<string, int>(count, StringComparer.Ordinal);
        // The definition's own array: immutable, so the plan can keep it rather than a copy.
        var stepArray = list.UnsafeArray;
        bool[]? duplicates = null; // Allocated at the first duplicate only; a bit per step keeps hostile input linear.
        for (var i = 0; i < count; i++)
        {
            var step = steps[i];
            if (!indexById.TryAdd(step.Id, i))
            {
                (duplicates ??= new bool[count])[i] = true;
                Error(DiagnosticCodes.DuplicateStepId, $"The id '{step.Id}' is used by more than one step (first at {StepPath(scope, indexById[step.Id])}).", step.Id, StepPath(scope, i));
            }

            if (scope.Kind != ScopeKind.Workflow)
            {
                _nestedIds.Add(step.Id);
            }
        }

        var outputs = IndexOutputVariables(stepArray, scope, out var writers);
        var branchOwners = AssignBranchOwners(stepArray, indexById, scope, out var extraOwners);
        var rebinds = writers is null ? null : new Rebinds(stepArray, writers, branchOwners);
        if (rebinds is not null)
        {
            foreach (var (name, later, earlier) in rebinds.Unordered())
            {
                Error(
                    DiagnosticCodes.OutputVariableClash,
                    $"The output variable '{name}' of the step '{stepArray[later].Id}' is also the output variable of '{stepArray[earlier].Id}' ({StepPath(scope, earlier)}); a step may rebind a name only when it reads it (so it runs after the earlier writer) or sits in a branch exclusive with the earlier writer.",
                    stepArray[later].Id,
                    StepPath(scope, later) + ".output_variable");
            }
        }
        var bodies = new ListPlan?[count];
        var predecessorOffsets = new int[count + 1];
        var predecessors = new PooledList<int>(count * 2);
        var kinds = new PooledList<PlanEdgeKind>(count * 2);
        var uses = new List<NameUse>();
        var bodyEscapes = new List<Escape>();

        for (var v = 0; v < count; v++)
        {
            var step = stepArray[v];
            var start = predecessors.Count;
            predecessorOffsets[v] = start;
            if (duplicates is not null && duplicates[v])
            {
                // A duplicate: already reported; it takes no part in the graph.
                continue;
            }

            if (branchOwners is not null && branchOwners[v] >= 0)
            {
                AddPredecessor(ref predecessors, ref kinds, start, branchOwners[v], PlanEdgeKind.Branch);
                if (extraOwners is not null)
                {
                    foreach (var (target, owner) in extraOwners)
                    {
                        if (target == v)
                        {
                            AddPredecessor(ref predecessors, ref kinds, start, owner, PlanEdgeKind.Branch);
                        }
                    }
                }
            }

            ValidateStep(step, scope, v);
            bodyEscapes.Clear();
            bodies[v] = PlanBody(step, scope, v, bodyEscapes, definition);

            uses.Clear();
            ReferenceCollector.Collect(step, uses, _scratch);
            foreach (ref readonly var use in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(uses))
            {
                Resolve(new Escape(use, step.Id, scope, v), v, scope, new ListNames(stepArray, indexById, outputs, rebinds), ref predecessors, ref kinds, start, escapes);
            }

            foreach (ref readonly var escape in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bodyEscapes))
            {
                // A name an inner step reads from this list: the container waits for it.
                Resolve(escape, v, scope, new ListNames(stepArray, indexById, outputs, rebinds), ref predecessors, ref kinds, start, escapes);
            }

            if (rebinds is not null)
            {
                // A step that rebinds a name waits for the steps that read the earlier binding.
                foreach (var reader in rebinds.ReadersBefore(v))
                {
                    AddPredecessor(ref predecessors, ref kinds, start, reader, PlanEdgeKind.Reference);
                }
            }
        }

        predecessorOffsets[count] = predecessors.Count;
        var edges = predecessors.ToArray();
        var edgeKinds = kinds.ToArray();
        predecessors.Dispose(); // Not in a finally: if planning throws (a bug), the rented arrays are simply collected.
        kinds.Dispose();
        var graph = BuildGraph(stepArray, indexById, predecessorOffsets, edges, edgeKinds, branchOwners, scope, outputs, writers);
        return new ListPlan(definition, graph, scope.ListPath, bodies);
    }

    private ListPlan? PlanBody(WorkflowStep step, Scope scope, int index, List<Escape> escapes, WorkflowDefinition definition)
    {
        if (step is not (LoopStep or ParallelGroupStep or ScatterGatherStep or SubWorkflowStep))
        {
            return null; // Most steps have no body: no path string is built for them.
        }

        var path = StepPath(scope, index);
        var hasBody = step switch
        {
            LoopStep loop => !loop.LoopSteps.IsEmpty,
            ParallelGroupStep group => !group.Steps.IsEmpty,
            ScatterGatherStep scatter => !scatter.Scatter.Steps.IsEmpty,
            SubWorkflowStep sub => !sub.WorkflowSteps.IsEmpty,
            _ => false,
        };
        if (hasBody && _depth >= ExecutionLimits.StepDepthCeiling)
        {
            // Checked before descending: a definition built in code can nest thousands deep, and planning recurses per level.
            Error(DiagnosticCodes.LimitExceeded, $"The step '{step.Id}' nests steps deeper than {nameof(ExecutionLimits)}.{nameof(ExecutionLimits.StepDepthCeiling)} ({ExecutionLimits.StepDepthCeiling}).", step.Id, path);
            return null;
        }

        _depth++;
        try
        {
            return PlanContainerBody(step, scope, escapes, definition, path);
        }
        finally
        {
            _depth--;
        }
    }

    private ListPlan? PlanContainerBody(WorkflowStep step, Scope scope, List<Escape> escapes, WorkflowDefinition definition, string path)
    {
        switch (step)
        {
            case LoopStep loop:
                if (loop.LoopSteps.IsEmpty)
                {
                    Error(DiagnosticCodes.EmptyLoopBody, $"The loop '{step.Id}' has no steps to run ('loopSteps' is empty).", step.Id, path + ".loopSteps");
                    return null;
                }

                return PlanList(loop.LoopSteps, new Scope(ScopeKind.LoopBody, scope, path + ".loopSteps"), escapes, BodyDefinition(loop.LoopSteps));
            case ParallelGroupStep group:
                if (group.Steps.IsEmpty)
                {
                    Warning(DiagnosticCodes.EmptyParallelGroup, $"The parallel group '{step.Id}' has no steps.", step.Id, path + ".steps");
                    return null;
                }

                return PlanList(group.Steps, new Scope(ScopeKind.ParallelBody, scope, path + ".steps"), escapes, BodyDefinition(group.Steps));
            case ScatterGatherStep scatter:
                if (scatter.Scatter.Steps.IsEmpty)
                {
                    Error(DiagnosticCodes.EmptyScatterBody, $"The scatter-gather '{step.Id}' has no steps to run per item ('scatter.steps' is empty).", step.Id, path + ".scatter.steps");
                    return null;
                }

                if (scatter.Gather?.From is { } from && !Execution.Handlers.GatherSource.Resolves(scatter.Scatter.Steps, from))
                {
                    Error(
                        DiagnosticCodes.UnknownStepReference,
                        $"The scatter-gather '{step.Id}' gathers '{from}', which names none of its inner steps. Inner steps: {Join(scatter.Scatter.Steps.Select(s => s.Id))}.",
                        step.Id,
                        path + ".gather.from");
                }

                var scatterScope = new Scope(ScopeKind.ScatterBody, scope, path + ".scatter.steps")
                {
                    ItemVariable = scatter.Scatter.ItemVariable ?? ScatterSettings.DefaultItemVariable,
                };
                return PlanList(scatter.Scatter.Steps, scatterScope, escapes, BodyDefinition(scatter.Scatter.Steps));
            case SubWorkflowStep sub when !sub.WorkflowSteps.IsEmpty:
                var subScope = new Scope(ScopeKind.SubWorkflow, sub.InheritContext ? scope : null, path + ".workflowSteps")
                {
                    InputNames = InputNamesOf(sub.Inputs),
                    InputsDeclared = sub.Inputs is not null,
                };
                return PlanList(sub.WorkflowSteps, subScope, sub.InheritContext ? escapes : null, BodyDefinition(sub.WorkflowSteps));
            default:
                return null;
        }
    }

    private void Resolve(in Escape use, int v, Scope scope, ListNames names, ref PooledList<int> predecessors, ref PooledList<PlanEdgeKind> kinds, int start, List<Escape>? escapes)
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
                    Error(
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
                    AddPredecessor(ref predecessors, ref kinds, start, alternative, PlanEdgeKind.Reference);
                }

                rebinds.AddReader(name, v);
            }

            AddPredecessor(ref predecessors, ref kinds, start, target, use.Use.Kind);
            if (use.Use.Kind == PlanEdgeKind.Reference)
            {
                CheckDataPath(use, names.Steps[target], viaOutputVariable);
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

    /// <summary>
    /// Indexes the list's output variables (and a scatter-gather's <c>gather.outputKey</c>, which names the gathered
    /// data the same way), reporting a name that is also a step id, an input, a reserved root or another output variable
    /// of the list. Null when the list declares none (most hand-written lists).
    /// </summary>
    private Dictionary<string, int>? IndexOutputVariables(WorkflowStep[] steps, Scope scope, out Dictionary<string, List<int>>? writers)
    {
        writers = null;
        Dictionary<string, int>? outputs = null;
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            if (step.OutputVariable is { } name)
            {
                IndexOutputVariable(steps, scope, i, name, StepPath(scope, i) + ".output_variable", "output variable", ref outputs, ref writers);
            }

            if (step is ScatterGatherStep { Gather.OutputKey: { } key } && key != step.OutputVariable)
            {
                IndexOutputVariable(steps, scope, i, key, StepPath(scope, i) + ".gather.outputKey", "gather outputKey", ref outputs, ref writers);
            }
        }

        return outputs;
    }

    private void IndexOutputVariable(WorkflowStep[] steps, Scope scope, int i, string name, string path, string what, ref Dictionary<string, int>? outputs, ref Dictionary<string, List<int>>? writers)
    {
        var step = steps[i];
        if (string.IsNullOrWhiteSpace(name))
        {
            Error(DiagnosticCodes.InvalidValue, $"The step '{step.Id}' has an empty {what}.", step.Id, path);
            return;
        }

        _allIds ??= CollectIds(_root!.Steps);
        if (name != step.Id && _allIds.Contains(name))
        {
            Error(DiagnosticCodes.OutputVariableClash, $"The {what} '{name}' of the step '{step.Id}' is also the id of a step; '{{{{{name}}}}}' would be ambiguous.", step.Id, path);
        }
        else if (name is "input" or "inputs" or "config" or "var" or "memory" or "current" or "index" or "item")
        {
            Error(DiagnosticCodes.OutputVariableClash, $"The {what} '{name}' of the step '{step.Id}' is a reserved name (input, config, var, memory, current, index, item).", step.Id, path);
        }
        else if (scope.InputScope.InputNames is { } inputs && inputs.Contains(name))
        {
            Error(DiagnosticCodes.OutputVariableClash, $"The {what} '{name}' of the step '{step.Id}' is also the name of an input; '{{{{{name}}}}}' would be ambiguous.", step.Id, path);
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
    /// Checks a reference into a step's data: says when the data is read without <c>data</c> (information), and checks
    /// the path against the step's <c>output_schema</c> (a warning, with the closest declared name).
    /// </summary>
    private void CheckDataPath(in Escape use, WorkflowStep producer, bool viaOutputVariable)
    {
        if (use.Use.Reference is not { } reference)
        {
            return;
        }

        var segments = reference.Segments.AsSpan();
        if (!viaOutputVariable)
        {
            if (segments.IsEmpty)
            {
                return;
            }

            var first = segments[0];
            if (first.Kind == PathSegmentKind.Property && first.Name == "data")
            {
                segments = segments[1..];
            }
            else if (first.Kind == PathSegmentKind.Property && IsResultField(first.Name!, producer))
            {
                return; // metadata, success, error, ...: not the data.
            }
            else
            {
                var explicitForm = new ReferencePath(reference.Root, EquatableArray<PathSegment>.UnsafeWrap([PathSegment.Property("data"), .. segments]));
                Info(
                    DiagnosticCodes.ImplicitDataReference,
                    $"'{{{{{reference}}}}}' reads the data of the step '{producer.Id}'; '{{{{{explicitForm}}}}}' says so explicitly.",
                    use.StepId,
                    use.Path);
            }
        }

        var gathered = producer.OutputDataSchema is null && producer is ScatterGatherStep;
        if ((producer.OutputDataSchema ?? GatheredSchema(producer)) is not { } schema)
        {
            return;
        }

        var itemSchema = gathered ? (schema.Items ?? schema) : null;
        var afterInnerId = false;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (afterInnerId && segment.Kind == PathSegmentKind.Property && segment.Name is "data" or "metadata" && schema.Property(segment.Name) is null)
            {
                // The old item shape ({id: {data, metadata}}): an item now holds the inner step's data itself.
                Warning(
                    DiagnosticCodes.PathNotInOutputSchema,
                    $"The step '{use.StepId}' reads '{{{{{reference}}}}}', but an item of the scatter-gather '{producer.Id}' holds its inner steps' data itself, without '{segment.Name}'; leave '.{segment.Name}' out.",
                    use.StepId,
                    use.Path);
                return;
            }

            afterInnerId = false;
            if (segment.Kind != PathSegmentKind.Property)
            {
                if (schema.Items is null)
                {
                    return; // Not declared as a list with items: nothing more to check.
                }

                schema = schema.Items;
                continue;
            }

            if (segment.Name == "length" && (schema.Type == "array" || schema.Items is not null))
            {
                return;
            }

            if (gathered && schema.Items is not null)
            {
                // Reading a field of the gathered list itself: an index is missing (or the old outputKey wrapper is read).
                Warning(
                    DiagnosticCodes.PathNotInOutputSchema,
                    $"The step '{use.StepId}' reads '{{{{{reference}}}}}', but the data of the scatter-gather '{producer.Id}' is the gathered list itself (gather.outputKey names it, it does not wrap it); read an item ('[0]') or the whole list.",
                    use.StepId,
                    use.Path);
                return;
            }

            if (!schema.DeclaresProperties)
            {
                return; // An open object: any name may be there.
            }

            if (schema.Property(segment.Name!) is { } next)
            {
                afterInnerId = ReferenceEquals(schema, itemSchema) && segment.Name is not ("error" or "item");
                schema = next;
                continue;
            }

            var declared = schema.Properties.Select(p => p.Name).ToList();
            var at = i == 0 ? "its data" : "'" + new ReferencePath(reference.Root, EquatableArray<PathSegment>.UnsafeWrap(segments[..i].ToArray())) + "'";
            var hint = Serialization.UnknownFields.Closest(segment.Name!, declared) is { } closest
                ? $"did you mean '{closest}'?"
                : $"declared: {Join(declared)}.";
            Warning(
                DiagnosticCodes.PathNotInOutputSchema,
                gathered
                    ? $"The step '{use.StepId}' reads '{{{{{reference}}}}}', but the scatter-gather '{producer.Id}' gathers no '{segment.Name}' in {at} (each item holds its inner steps' data by step id); {hint}"
                    : $"The step '{use.StepId}' reads '{{{{{reference}}}}}', but the output_schema of '{producer.Id}' declares no '{segment.Name}' in {at}; {hint}",
                use.StepId,
                use.Path);
            return;
        }
    }

    /// <summary>
    /// The shape a scatter-gather's data has when it declares no <c>output_schema</c>, so references into it are checked
    /// like any other: <c>collect</c> without <c>gather.from</c> gives a list whose items hold each inner step's data by
    /// step id (or <c>error</c> and <c>item</c> for a failed item); <c>merge</c> gives one such object. Null (unchecked)
    /// for any other step, for <c>gather.from</c> and for <c>reduce</c>.
    /// </summary>
    private static DataSchema? GatheredSchema(WorkflowStep producer)
    {
        if (producer is not ScatterGatherStep { Scatter.Steps: var inner } step || step.Gather?.From is not null || inner.IsEmpty)
        {
            return null;
        }

        var operation = step.Gather?.Operation ?? GatherOperation.Collect;
        if (operation == GatherOperation.Reduce)
        {
            return null;
        }

        var properties = new List<DataSchemaProperty>(inner.Count + 2);
        foreach (var child in inner)
        {
            properties.Add(new DataSchemaProperty(child.Id, child.OutputDataSchema ?? GatheredSchema(child) ?? new DataSchema()));
        }

        if (operation == GatherOperation.Merge)
        {
            return new DataSchema { Type = "object", Properties = EquatableArray<DataSchemaProperty>.UnsafeWrap([.. properties]) };
        }

        properties.Add(new DataSchemaProperty("error", new DataSchema { Type = "string" }));
        properties.Add(new DataSchemaProperty("item", new DataSchema()));
        return new DataSchema
        {
            Type = "array",
            Items = new DataSchema { Type = "object", Properties = EquatableArray<DataSchemaProperty>.UnsafeWrap([.. properties]) },
        };
    }

    /// <summary>The top-level fields of a step result that are not its data (as <c>StepRecord.GetField</c> reads them).</summary>
    private static bool IsResultField(string name, WorkflowStep producer) =>
        name is "metadata" or "stepId" or "success" or "error"
        || (producer is ActionStep && name is "plugin" or "action");

    private static void AddPredecessor(ref PooledList<int> predecessors, ref PooledList<PlanEdgeKind> kinds, int start, int target, PlanEdgeKind kind)
    {
        for (var i = start; i < predecessors.Count; i++)
        {
            if (predecessors[i] == target)
            {
                if (kind == PlanEdgeKind.Declared && kinds[i] == PlanEdgeKind.Reference)
                {
                    kinds[i] = PlanEdgeKind.Declared; // What the author declared is reported as declared.
                }

                return;
            }
        }

        predecessors.Add(target);
        kinds.Add(kind);
    }

    private void CheckInput(in Escape use, Scope scope)
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
            Warning(
                DiagnosticCodes.UndeclaredInput,
                $"The step '{use.StepId}' reads the input '{inputName}', but the document declares no inputs (no 'input_schema').",
                use.StepId,
                use.Path);
            return;
        }

        Error(
            DiagnosticCodes.UndeclaredInput,
            $"The step '{use.StepId}' reads the input '{inputName}', which is not declared. Declared inputs: {Join(inputScope.InputNames)}.",
            use.StepId,
            use.Path);
    }

    private void ReportUnresolved()
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
                Error(
                    DiagnosticCodes.ReferenceOutOfScope,
                    $"The step '{use.StepId}' uses '{name}', which is an inner step of another step (a loop, group, scatter or sub-workflow) and cannot be read from here.",
                    use.StepId,
                    use.Path);
            }
            else if (use.Use.Kind == PlanEdgeKind.Declared)
            {
                Error(DiagnosticCodes.UnknownDependency, $"The step '{use.StepId}' depends on '{name}', which does not exist.", use.StepId, use.Path);
            }
            else
            {
                Error(
                    DiagnosticCodes.UnknownStepReference,
                    $"The step '{use.StepId}' reads '{{{{{use.Use.Reference}}}}}', but no step '{name}' exists (nor an input, variable or memory by that name).",
                    use.StepId,
                    use.Path);
            }
        }
    }

    /// <summary>
    /// Which branching step owns each step (the first that names it); null when the list has no conditional or switch
    /// (most lists). Further owners of a step go to <paramref name="extraOwners"/>.
    /// </summary>
    private int[]? AssignBranchOwners(WorkflowStep[] steps, Dictionary<string, int> indexById, Scope scope, out List<(int Target, int Owner)>? extraOwners)
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
                    var path = $"{StepPath(scope, i)}.{field}[{t.ToString(CultureInfo.InvariantCulture)}]";
                    if (!indexById.TryGetValue(id, out var target))
                    {
                        if (!_unreadable.Contains(id))
                        {
                            Error(DiagnosticCodes.UnknownBranchTarget, $"The step '{owner.Id}' branches to '{id}', which is not a step of the same list.", owner.Id, path);
                        }
                    }
                    else if (target == i)
                    {
                        Error(DiagnosticCodes.ConflictingBranchTarget, $"The step '{owner.Id}' names itself as a branch target.", owner.Id, path);
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

    private PlanGraph BuildGraph(
        WorkflowStep[] steps,
        Dictionary<string, int> indexById,
        int[] predecessorOffsets,
        int[] predecessors,
        PlanEdgeKind[] kinds,
        int[]? branchOwners,
        Scope scope,
        Dictionary<string, int>? outputs, Dictionary<string, List<int>>? writers)
    {
        var count = steps.Length;

        // Successors: count out-degrees, prefix-sum into offsets, then fill.
        var successorOffsets = new int[count + 1];
        foreach (var u in predecessors)
        {
            successorOffsets[u + 1]++;
        }

        for (var i = 0; i < count; i++)
        {
            successorOffsets[i + 1] += successorOffsets[i];
        }

        var successors = new int[predecessors.Length];
        var fill = System.Buffers.ArrayPool<int>.Shared.Rent(count);
        Array.Clear(fill, 0, count);
        for (var v = 0; v < count; v++)
        {
            for (var slot = predecessorOffsets[v]; slot < predecessorOffsets[v + 1]; slot++)
            {
                var u = predecessors[slot];
                successors[successorOffsets[u] + fill[u]++] = v;
            }
        }

        System.Buffers.ArrayPool<int>.Shared.Return(fill);

        // Kahn's algorithm, computing each step's level on the way.
        var remaining = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        var levels = new int[count];
        var order = new int[count];
        var head = 0;
        var tail = 0;
        for (var v = 0; v < count; v++)
        {
            remaining[v] = predecessorOffsets[v + 1] - predecessorOffsets[v];
            if (remaining[v] == 0)
            {
                order[tail++] = v;
            }
        }

        var levelCount = count == 0 ? 0 : 1;
        while (head < tail)
        {
            var u = order[head++];
            var next = levels[u] + 1;
            for (var slot = successorOffsets[u]; slot < successorOffsets[u + 1]; slot++)
            {
                var v = successors[slot];
                if (next > levels[v])
                {
                    levels[v] = next;
                }

                if (--remaining[v] == 0)
                {
                    order[tail++] = v;
                    if (next + 1 > levelCount)
                    {
                        levelCount = next + 1;
                    }
                }
            }
        }

        if (tail < count)
        {
            // The rented array may be longer than the list: the cycle finder gets exactly one entry per step.
            ReportCycles(steps, successorOffsets, successors, remaining.AsSpan(0, count).ToArray(), scope);
        }

        System.Buffers.ArrayPool<int>.Shared.Return(remaining);

        return new PlanGraph
        {
            Steps = steps,
            IndexById = indexById,
            PredecessorOffsets = predecessorOffsets,
            Predecessors = predecessors,
            PredecessorKinds = kinds,
            SuccessorOffsets = successorOffsets,
            Successors = successors,
            Levels = levels,
            LevelCount = levelCount,
            BranchOwners = branchOwners,
            TopologicalOrder = order,
            IndexByOutputVariable = outputs,
            WritersByOutputVariable = writers,
        };
    }

    private void ReportCycles(WorkflowStep[] steps, int[] successorOffsets, int[] successors, int[] remaining, Scope scope)
    {
        foreach (var cycle in CycleFinder.FindCycles(successorOffsets, successors, remaining))
        {
            var names = string.Join(" -> ", cycle.Select(i => steps[i].Id)) + " -> " + steps[cycle[0]].Id;
            Error(
                DiagnosticCodes.DependencyCycle,
                $"These steps wait for each other in a cycle, so none of them can start: {names}.",
                steps[cycle[0]].Id,
                StepPath(scope, cycle[0]));
        }
    }

    private void ValidateStep(WorkflowStep step, Scope scope, int index)
    {
        if (step.RetryPolicy is { } retry)
        {
            if (retry.MaxRetries < 0)
            {
                Invalid(step, scope, index, "retryPolicy.maxRetries", "'maxRetries' cannot be negative.");
            }

            if (retry.BackoffMultiplier is < 1)
            {
                Invalid(step, scope, index, "retryPolicy.backoffMultiplier", "'backoffMultiplier' must be at least 1.");
            }
        }

        if (step.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            Invalid(step, scope, index, "timeout", "'timeout' must be more than 0 milliseconds.");
        }

        if (step.RollbackAction is { } rollback)
        {
            ValidateAction(step.Id, rollback.Plugin, rollback.Action, rollback.Params, scope, index, ".rollbackAction");
        }

        switch (step)
        {
            case ActionStep action:
                ValidateAction(step.Id, action.Plugin, action.Action, action.Params, scope, index, string.Empty);
                break;
            case LlmStep llm:
                if (llm.MaxTokens is <= 0)
                {
                    Invalid(step, scope, index, "maxTokens", "'maxTokens' must be positive.");
                }

                if (llm.Temperature is < 0 or > 2)
                {
                    Invalid(step, scope, index, "temperature", "'temperature' must be between 0 and 2.");
                }

                if (llm.Prompt is null && string.IsNullOrWhiteSpace(llm.Description) && string.IsNullOrWhiteSpace(llm.Name))
                {
                    Error(DiagnosticCodes.MissingField, $"The step '{step.Id}' has no prompt (nor a description or name to use as one).", step.Id, StepPath(scope, index));
                }

                break;
            case LoopStep loop:
                if (loop.MaxIterations is <= 0)
                {
                    Invalid(step, scope, index, "maxIterations", "'maxIterations' must be positive.");
                }

                if (loop.MaxConcurrency is <= 0)
                {
                    Invalid(step, scope, index, "maxConcurrency", "'maxConcurrency' must be positive.");
                }

                break;
            case ParallelGroupStep { MaxConcurrency: <= 0 }:
                Invalid(step, scope, index, "maxConcurrency", "'maxConcurrency' must be positive.");
                break;
            case ScatterGatherStep { Scatter.MaxConcurrency: <= 0 }:
                Invalid(step, scope, index, "scatter.maxConcurrency", "'maxConcurrency' must be positive.");
                break;
            case SubWorkflowStep sub when sub.WorkflowSteps.IsEmpty && string.IsNullOrWhiteSpace(sub.WorkflowId):
                Invalid(step, scope, index, "workflowId", "A sub-workflow needs 'workflowId' (a workflow of the host's registry) or inline 'workflowSteps'.");
                break;
            case HumanApprovalStep approval:
                if (approval.OnTimeout == ApprovalTimeoutAction.Escalate && approval.EscalateTo.IsEmpty)
                {
                    Invalid(step, scope, index, "escalateTo", "'onTimeout' is 'escalate' but 'escalateTo' names nobody.");
                }

                break;
            case EnrichmentStep { Strategy: EnrichmentStrategy.Join, JoinOn: null or "" }:
                Invalid(step, scope, index, "joinOn", "The 'join' strategy needs 'joinOn'.");
                break;
        }

        ValidateEntries(step, scope, index);
    }

    /// <summary>Reports null entries in a step's lists (JSON <c>null</c> in a list loads as one), which no handler can run.</summary>
    private void ValidateEntries(WorkflowStep step, Scope scope, int index)
    {
        switch (step)
        {
            case EnrichmentStep enrichment when enrichment.Sources.AsSpan().Contains(null!):
                Invalid(step, scope, index, "sources", "A source is null; each source needs a 'key' and a 'from'.");
                break;
            case ValidationStep validation when validation.Rules.AsSpan().Contains(null!):
                Invalid(step, scope, index, "rules", "A rule is null; each rule needs a 'condition' or a 'field'.");
                break;
            case TransformStep { Config: { } config } when config.Aggregations.AsSpan().Contains(null!):
                Invalid(step, scope, index, "config.aggregations", "An aggregation is null; each needs a 'field' and an 'operation'.");
                break;
            case DelayStep delay when delay.Duration > ExecutionLimits.DelayCeiling:
                Error(DiagnosticCodes.LimitExceeded, $"The step '{step.Id}' waits {delay.Duration}, over {nameof(ExecutionLimits)}.{nameof(ExecutionLimits.DelayCeiling)} ({ExecutionLimits.DelayCeiling}).", step.Id, StepPath(scope, index) + ".duration");
                break;
        }

        if (step is not HumanApprovalStep && step.Timeout is { } timeout && (timeout < ExecutionLimits.MinStepTimeout || timeout > ExecutionLimits.MaxStepTimeout) && timeout > TimeSpan.Zero)
        {
            Error(DiagnosticCodes.LimitExceeded, $"The step '{step.Id}' has a timeout of {timeout}, outside {nameof(ExecutionLimits)}.{nameof(ExecutionLimits.MinStepTimeout)} ({ExecutionLimits.MinStepTimeout}) to {nameof(ExecutionLimits.MaxStepTimeout)} ({ExecutionLimits.MaxStepTimeout}).", step.Id, StepPath(scope, index) + ".timeout");
        }
    }

    private void ValidateAction(string stepId, string pluginName, string actionName, TemplateValue? parameters, Scope scope, int index, string field)
    {
        if (_catalog is null)
        {
            return;
        }

        var path = StepPath(scope, index) + field;

        PluginDescriptor? plugin;
        bool found;
        try
        {
            found = _catalog.TryGetPlugin(pluginName, out plugin);
        }
        catch (Exception ex)
        {
            // The host's catalog is outside code: its failure is reported on the step, never thrown out of Plan.
            Error(DiagnosticCodes.CatalogError, $"The plugin catalog threw {ex.GetType().Name} while checking the step '{stepId}' ({pluginName}.{actionName}): {ex.Message}", stepId, path + ".plugin");
            return;
        }

        if (!found || plugin is null)
        {
            Error(DiagnosticCodes.UnknownPlugin, $"The step '{stepId}' calls the plugin '{pluginName}', which the host does not provide.", stepId, path + ".plugin");
            return;
        }

        if (!plugin.TryGetAction(actionName, out var action))
        {
            Error(
                DiagnosticCodes.UnknownAction,
                $"The plugin '{pluginName}' has no action '{actionName}'. Its actions: {Join(plugin.Actions.Select(a => a.Name))}.",
                stepId,
                path + ".action");
            return;
        }

        var given = ParameterNamesOf(parameters);
        if (given is null)
        {
            return; // Parameters computed as a whole (one reference): their names are known only at run time.
        }

        foreach (var parameter in action.Parameters)
        {
            if (parameter.Required && !given.Contains(parameter.Name))
            {
                Error(
                    DiagnosticCodes.MissingParameter,
                    $"The step '{stepId}' does not pass '{parameter.Name}', which {pluginName}.{actionName} requires.",
                    stepId,
                    path + ".params");
            }
        }

        foreach (var name in given)
        {
            if (!action.Parameters.Any(p => p.Name == name))
            {
                Warning(DiagnosticCodes.UnknownParameter, $"{pluginName}.{actionName} takes no parameter '{name}'.", stepId, path + ".params." + name);
            }
        }

        if (_catalog is IPluginArgumentValidator validator)
        {
            ValidateArguments(validator, stepId, pluginName, actionName, parameters, path);
        }
    }

    /// <summary>Asks the catalog to check the step's arguments against the action's own contract (types, enums, forbidden names).</summary>
    private void ValidateArguments(IPluginArgumentValidator validator, string stepId, string pluginName, string actionName, TemplateValue? parameters, string path)
    {
        var arguments = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        switch (parameters)
        {
            case ObjectTemplate obj:
                foreach (var property in obj.Properties)
                {
                    arguments[property.Name] = LiteralOf(property.Value);
                }

                break;
            case LiteralValue { Value.ValueKind: JsonValueKind.Object } literal:
                foreach (var property in literal.Value.EnumerateObject())
                {
                    arguments[property.Name] = property.Value;
                }

                break;
        }

        IReadOnlyList<PluginArgumentProblem> problems;
        try
        {
            problems = validator.ValidateArguments(pluginName, actionName, arguments);
        }
        catch (Exception ex)
        {
            // The host's validator is outside code, as its catalog is: reported on the step, never thrown out of Plan.
            Error(DiagnosticCodes.CatalogError, $"The plugin catalog threw {ex.GetType().Name} while checking the arguments of the step '{stepId}' ({pluginName}.{actionName}): {ex.Message}", stepId, path + ".params");
            return;
        }

        foreach (var problem in problems ?? [])
        {
            Error(
                DiagnosticCodes.InvalidArgument,
                $"The step '{stepId}' passes {pluginName}.{actionName} an argument '{problem.Argument}' it refuses: {problem.Message}",
                stepId,
                path + ".params." + problem.Argument);
        }
    }

    /// <summary>The value an argument has in the document, or <see langword="null"/> when it is computed at run time.</summary>
    private static JsonElement? LiteralOf(TemplateValue value) => value switch
    {
        LiteralValue literal => literal.Value,
        TextTemplate text when !text.HasReferences => StringElement(string.Concat(text.Parts.Select(p => p.Text))),
        _ => null,
    };

    private static JsonElement StringElement(string text)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(text.Length + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    private HashSet<string> ValidateInputs(WorkflowDefinition definition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.InputSchema.Count; i++)
        {
            var input = definition.InputSchema[i];
            var path = $"$.input_schema[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (input?.Name is null)
            {
                Error(DiagnosticCodes.MissingField, input is null ? "An input is null." : "An input has no 'name'.", null, input is null ? path : path + ".name");
                continue;
            }

            if (!names.Add(input.Name))
            {
                Error(DiagnosticCodes.DuplicateName, $"The input '{input.Name}' is declared more than once.", null, path + ".name");
            }

            if (input.Type is { } type && !InputTypes.IsKnown(type))
            {
                Warning(DiagnosticCodes.UnknownValueType, $"The input '{input.Name}' has the unknown type '{type}'; known types: {string.Join(", ", InputTypes.All)}.", null, path + ".type");
            }
        }

        return names;
    }

    private void ValidateOutputs(WorkflowDefinition definition, ListPlan root, Scope scope)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.OutputSchema.Count; i++)
        {
            var output = definition.OutputSchema[i];
            var path = $"$.output_schema[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (output?.Name is null || output.Source is null)
            {
                Error(DiagnosticCodes.MissingField, output is null ? "An output field is null." : $"An output field needs a 'name' and a 'source'.", null, path);
                continue;
            }

            if (!names.Add(output.Name))
            {
                Error(DiagnosticCodes.DuplicateName, $"The output field '{output.Name}' is declared more than once.", null, path + ".name");
            }

            var source = output.Source;
            if (source.Root == "input")
            {
                if (source.Segments.Count > 0 && source.Segments[0].Name is { } inputName && scope.InputsDeclared && !scope.InputNames!.Contains(inputName))
                {
                    Error(DiagnosticCodes.UndeclaredInput, $"The output field '{output.Name}' reads the undeclared input '{inputName}'.", null, path + ".source");
                }
            }
            else if (!root.Graph.IndexById.ContainsKey(source.Root) && !_unreadable.Contains(source.Root) && source.Root is not ("var" or "memory"))
            {
                Error(DiagnosticCodes.UnknownStepReference, $"The output field '{output.Name}' reads '{source}', but no top-level step '{source.Root}' exists.", null, path + ".source");
            }
        }
    }

    private void Invalid(WorkflowStep step, Scope scope, int index, string field, string message) =>
        Error(DiagnosticCodes.InvalidSetting, $"The step '{step.Id}': {message}", step.Id, StepPath(scope, index) + "." + field);

    private void Error(string code, string message, string? stepId, string? path) =>
        _diagnostics.Add(WorkflowDiagnostic.Error(code, message, stepId, path));

    private void Warning(string code, string message, string? stepId, string? path) =>
        _diagnostics.Add(WorkflowDiagnostic.Warning(code, message, stepId, path));

    private void Info(string code, string message, string? stepId, string? path) =>
        _diagnostics.Add(WorkflowDiagnostic.Info(code, message, stepId, path));

    private static string StepPath(Scope scope, int index) => scope.StepPath(index);

    private static WorkflowDefinition BodyDefinition(EquatableArray<WorkflowStep> steps) => new() { Steps = steps };

    private static HashSet<string>? InputNamesOf(TemplateValue? inputs) => ParameterNamesOf(inputs);

    private static HashSet<string>? ParameterNamesOf(TemplateValue? parameters)
    {
        switch (parameters)
        {
            case ObjectTemplate obj:
                return obj.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            case LiteralValue { Value.ValueKind: System.Text.Json.JsonValueKind.Object } literal:
                return literal.Value.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            case null:
                return [];
            default:
                return null; // Parameters computed as a whole (one reference): their names are known only at run time.
        }
    }

    private static string Join(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }

    /// <summary>The names of one step list: its steps by id and by output variable.</summary>
    private readonly record struct ListNames(WorkflowStep[] Steps, Dictionary<string, int> IndexById, Dictionary<string, int>? Outputs, Rebinds? Rebinds);

    /// <summary>A name used by a step, with where the use is for diagnostics.</summary>
    private readonly record struct Escape(NameUse Use, string StepId, Scope Scope, int Index)
    {
        public string Path
        {
            get
            {
                var step = StepPath(Scope, Index);
                return step + "." + Use.FieldPath + TemplateLocator.Find(Use.Source, Use.Reference);
            }
        }
    }

    /// <summary>A planned list before it becomes an <see cref="ExecutionPlan"/> (only when the whole workflow is free of errors).</summary>
    private sealed record ListPlan(WorkflowDefinition Definition, PlanGraph Graph, string ListPath, ListPlan?[] Bodies)
    {
        public ExecutionPlan Materialize()
        {
            var plan = new ExecutionPlan(Definition, Graph, ListPath);
            for (var i = 0; i < Bodies.Length; i++)
            {
                if (Bodies[i] is { } body)
                {
                    plan.SetBody(i, body.Materialize());
                }
            }

            return plan;
        }
    }
}
