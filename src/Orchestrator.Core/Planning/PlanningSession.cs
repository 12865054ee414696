using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Planning;

/// <summary>
/// One planning pass over a workflow. Linear in steps + edges: every step list is indexed once, every name a step
/// uses is resolved with one dictionary look-up per enclosing list, and the graph is kept as compressed arrays.
/// Problems are collected, never thrown, so every one of them is reported at once.
/// </summary>
/// <remarks>
/// The session coordinates; each job has its own type: <see cref="StepIndexer"/> (ids, output variables, branch owners,
/// nested ids), <see cref="NameResolver"/> (names to steps, inputs and variables; rebinds; unresolved names),
/// <see cref="StepValidator"/>, <see cref="ActionCatalogValidator"/>, <see cref="DataPathChecker"/> and
/// <see cref="WorkflowSignatureValidator"/> (settings, catalog checks, types), and <see cref="PlanGraphBuilder"/> (edges,
/// levels, cycles). They all report to one <see cref="PlanDiagnostics"/> in the order the session calls them, which is
/// document order.
/// </remarks>
internal sealed class PlanningSession
{
    private readonly IReadOnlySet<string> _unreadable;
    private readonly PlanDiagnostics _diagnostics;
    private readonly IReadOnlyList<int>? _positions;
    private readonly StepIndexer _indexer;
    private readonly NameResolver _resolver;
    private readonly StepValidator _validator;
    private int _depth = 1;
    private WorkflowDefinition? _root;

    public PlanningSession(IPluginCatalog? catalog, IReadOnlySet<string> unreadable, List<WorkflowDiagnostic> diagnostics, IReadOnlyList<int>? positions = null)
    {
        _positions = positions;
        _unreadable = unreadable;
        _diagnostics = new PlanDiagnostics(diagnostics);
        _indexer = new StepIndexer(unreadable, _diagnostics);
        _resolver = new NameResolver(unreadable, _indexer.NestedIds, _diagnostics);
        _validator = new StepValidator(catalog, _diagnostics);
    }

    /// <summary>The JSON path of the document's step list: <c>$.workflow_steps</c>, or <c>$</c> for a bare list of steps.</summary>
    public string StepsPath { get; init; } = "$.workflow_steps";

    /// <summary>Plans the workflow: the plan, or null when an error was reported (every problem is in the diagnostics).</summary>
    public ExecutionPlan? Plan(WorkflowDefinition definition)
    {
        _root = definition;
        var inputNames = WorkflowSignatureValidator.ValidateInputs(definition, _diagnostics);
        var scope = new Scope(ScopeKind.Workflow, null, StepsPath)
        {
            InputNames = inputNames,
            InputsDeclared = !definition.InputSchema.IsEmpty,
            Positions = _positions,
        };

        var root = PlanList(definition.Steps, scope, escapes: null, definition);
        _resolver.ReportUnresolved();
        WorkflowSignatureValidator.ValidateOutputs(definition, root, scope, _unreadable, _diagnostics);
        return _diagnostics.HasErrors ? null : root.Materialize();
    }

    private ListPlan PlanList(EquatableArray<WorkflowStep> list, Scope scope, List<ScopedNameUse>? escapes, WorkflowDefinition definition)
    {
        // The definition's own array: immutable, so the plan can keep it rather than a copy.
        var stepArray = list.UnsafeArray;
        var count = stepArray.Length;
        var indexById = _indexer.IndexIds(list.AsSpan(), scope, out var duplicates);
        var outputs = _indexer.IndexOutputVariables(stepArray, scope, _root!, out var writers);
        var branchOwners = _indexer.AssignBranchOwners(stepArray, indexById, scope, out var extraOwners);
        var rebinds = writers is null ? null : new Rebinds(stepArray, writers, branchOwners);
        if (rebinds is not null)
        {
            _resolver.ReportRebindClashes(rebinds, stepArray, scope);
        }

        var bodies = new ListPlan?[count];
        var predecessorOffsets = new int[count + 1];
        var predecessors = new PooledList<int>(count * 2);
        var kinds = new PooledList<PlanEdgeKind>(count * 2);
        var uses = new List<NameUse>();
        var bodyEscapes = new List<ScopedNameUse>();

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
                PlanGraphBuilder.AddPredecessor(ref predecessors, ref kinds, start, branchOwners[v], PlanEdgeKind.Branch);
                if (extraOwners is not null)
                {
                    foreach (var (target, owner) in extraOwners)
                    {
                        if (target == v)
                        {
                            PlanGraphBuilder.AddPredecessor(ref predecessors, ref kinds, start, owner, PlanEdgeKind.Branch);
                        }
                    }
                }
            }

            _validator.ValidateStep(step, scope, v);
            bodyEscapes.Clear();
            bodies[v] = PlanBody(step, scope, v, bodyEscapes, definition);

            uses.Clear();
            _resolver.CollectUses(step, uses);
            foreach (ref readonly var use in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(uses))
            {
                _resolver.Resolve(new ScopedNameUse(use, step.Id, scope, v), v, scope, new ListNames(stepArray, indexById, outputs, rebinds), ref predecessors, ref kinds, start, escapes);
            }

            foreach (ref readonly var escape in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bodyEscapes))
            {
                // A name an inner step reads from this list: the container waits for it.
                _resolver.Resolve(escape, v, scope, new ListNames(stepArray, indexById, outputs, rebinds), ref predecessors, ref kinds, start, escapes);
            }

            if (rebinds is not null)
            {
                // A step that rebinds a name waits for the steps that read the earlier binding.
                foreach (var reader in rebinds.ReadersBefore(v))
                {
                    PlanGraphBuilder.AddPredecessor(ref predecessors, ref kinds, start, reader, PlanEdgeKind.Reference);
                }
            }
        }

        predecessorOffsets[count] = predecessors.Count;
        var edges = predecessors.ToArray();
        var edgeKinds = kinds.ToArray();
        predecessors.Dispose(); // Not in a finally: if planning throws (a bug), the rented arrays are simply collected.
        kinds.Dispose();
        var graph = PlanGraphBuilder.Build(stepArray, indexById, predecessorOffsets, edges, edgeKinds, branchOwners, scope, outputs, writers, _diagnostics);
        return new ListPlan(definition, graph, scope.ListPath, bodies);
    }

    private ListPlan? PlanBody(WorkflowStep step, Scope scope, int index, List<ScopedNameUse> escapes, WorkflowDefinition definition)
    {
        if (step is not (LoopStep or ParallelGroupStep or ScatterGatherStep or SubWorkflowStep))
        {
            return null; // Most steps have no body: no path string is built for them.
        }

        var path = scope.StepPath(index);
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
            _diagnostics.Error(DiagnosticCodes.LimitExceeded, $"The step '{step.Id}' nests steps deeper than {nameof(ExecutionLimits)}.{nameof(ExecutionLimits.StepDepthCeiling)} ({ExecutionLimits.StepDepthCeiling}).", step.Id, path);
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

    private ListPlan? PlanContainerBody(WorkflowStep step, Scope scope, List<ScopedNameUse> escapes, WorkflowDefinition definition, string path)
    {
        switch (step)
        {
            case LoopStep loop:
                if (loop.LoopSteps.IsEmpty)
                {
                    _diagnostics.Error(DiagnosticCodes.EmptyLoopBody, $"The loop '{step.Id}' has no steps to run ('loopSteps' is empty).", step.Id, path + ".loopSteps");
                    return null;
                }

                return PlanList(loop.LoopSteps, new Scope(ScopeKind.LoopBody, scope, path + ".loopSteps"), escapes, BodyDefinition(loop.LoopSteps));
            case ParallelGroupStep group:
                if (group.Steps.IsEmpty)
                {
                    _diagnostics.Warning(DiagnosticCodes.EmptyParallelGroup, $"The parallel group '{step.Id}' has no steps.", step.Id, path + ".steps");
                    return null;
                }

                return PlanList(group.Steps, new Scope(ScopeKind.ParallelBody, scope, path + ".steps"), escapes, BodyDefinition(group.Steps));
            case ScatterGatherStep scatter:
                if (scatter.Scatter.Steps.IsEmpty)
                {
                    _diagnostics.Error(DiagnosticCodes.EmptyScatterBody, $"The scatter-gather '{step.Id}' has no steps to run per item ('scatter.steps' is empty).", step.Id, path + ".scatter.steps");
                    return null;
                }

                if (scatter.Gather?.From is { } from && !Execution.Handlers.GatherSource.Resolves(scatter.Scatter.Steps, from))
                {
                    _diagnostics.Error(
                        DiagnosticCodes.UnknownStepReference,
                        $"The scatter-gather '{step.Id}' gathers '{from}', which names none of its inner steps. Inner steps: {PlanDiagnostics.Join(scatter.Scatter.Steps.Select(s => s.Id))}.",
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
                    InputNames = ActionCatalogValidator.ParameterNamesOf(sub.Inputs),
                    InputsDeclared = sub.Inputs is not null,
                };
                return PlanList(sub.WorkflowSteps, subScope, sub.InheritContext ? escapes : null, BodyDefinition(sub.WorkflowSteps));
            default:
                return null;
        }
    }

    private static WorkflowDefinition BodyDefinition(EquatableArray<WorkflowStep> steps) => new() { Steps = steps };
}
