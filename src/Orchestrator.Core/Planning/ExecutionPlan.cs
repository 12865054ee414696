using System.Diagnostics.CodeAnalysis;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>
/// An immutable, reusable plan of a workflow (or of a container's inline steps): its steps with what each waits for,
/// so an executor can start every step the moment its inputs exist; plus, for people, the parallel levels, the
/// critical path, the edges and a Mermaid rendering. Only a workflow without planning errors gets a plan.
/// </summary>
public sealed class ExecutionPlan
{
    private readonly Dictionary<string, int> _indexById;
    private readonly Dictionary<string, int>? _indexByOutputVariable;
    private readonly Dictionary<string, List<int>>? _writersByOutputVariable;
    private readonly int[] _predecessorOffsets;
    private readonly int[] _predecessors;
    private readonly PlanEdgeKind[] _predecessorKinds;
    private readonly int[] _successorOffsets;
    private readonly int[] _successors;
    private readonly int[] _levels;
    private readonly int[]? _branchOwners;
    private readonly int[] _topologicalOrder;
    private IReadOnlyList<IReadOnlyList<string>>? _levelIds;
    private IReadOnlyList<string>? _criticalPath;
    private IReadOnlyList<PlanEdge>? _edges;
    private readonly WorkflowStep[] _definitionSteps;
    private PlannedStep[]? _steps;
    private ExecutionPlan?[]? _bodies;

    internal ExecutionPlan(WorkflowDefinition definition, PlanGraph graph, string listPath)
    {
        Definition = definition;
        _indexById = graph.IndexById;
        _indexByOutputVariable = graph.IndexByOutputVariable;
        _writersByOutputVariable = graph.WritersByOutputVariable;
        _predecessorOffsets = graph.PredecessorOffsets;
        _predecessors = graph.Predecessors;
        _predecessorKinds = graph.PredecessorKinds;
        _successorOffsets = graph.SuccessorOffsets;
        _successors = graph.Successors;
        _levels = graph.Levels;
        _branchOwners = graph.BranchOwners;
        _topologicalOrder = graph.TopologicalOrder;
        LevelCount = graph.LevelCount;

        _definitionSteps = graph.Steps;
        ListPath = listPath;
    }

    /// <summary>The JSON path of the planned step list, such as <c>$.workflow_steps</c>.</summary>
    public string ListPath { get; }

    /// <summary>The workflow planned (for a container's body: its inline steps).</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>The steps, in document order; <see cref="PlannedStep.Index"/> is the position here.</summary>
    /// <remarks>Created on first use: planning itself only builds arrays, so a large plan costs no object per step until it is read.</remarks>
    public IReadOnlyList<PlannedStep> Steps => _steps ?? CreateSteps();

    /// <summary>The number of parallel levels.</summary>
    public int LevelCount { get; }

    /// <summary>The steps that wait for nothing and can start at once.</summary>
    public IEnumerable<PlannedStep> EntrySteps => Steps.Where(s => s.Dependencies.Count == 0);

    /// <summary>The step indexes in an order where every step comes after all it waits for.</summary>
    public ReadOnlySpan<int> TopologicalOrder => _topologicalOrder;

    /// <summary>The step ids by parallel level: the steps of one level wait only for steps of earlier levels.</summary>
    /// <remarks>For people and tools; the executor does not run level by level, it starts each step as soon as it can.</remarks>
    public IReadOnlyList<IReadOnlyList<string>> Levels => _levelIds ??= BuildLevels();

    /// <summary>The longest chain of steps that wait for each other, first to last.</summary>
    public IReadOnlyList<string> CriticalPath => _criticalPath ??= BuildCriticalPath();

    /// <summary>Every edge of the graph, ordered by waiting step then by the step waited for.</summary>
    public IReadOnlyList<PlanEdge> Edges => _edges ??= BuildEdges();

    /// <summary>The step with the given id.</summary>
    /// <param name="stepId">A top-level step id of this plan.</param>
    /// <exception cref="KeyNotFoundException">No step has that id.</exception>
    public PlannedStep this[string stepId] =>
        TryGetStep(stepId, out var step) ? step : throw new KeyNotFoundException($"The plan has no step '{stepId}'.");

    /// <summary>Looks up a step by id.</summary>
    /// <param name="stepId">The id.</param>
    /// <param name="step">The step, when found.</param>
    /// <returns>Whether the plan has the step.</returns>
    public bool TryGetStep(string stepId, [NotNullWhen(true)] out PlannedStep? step)
    {
        ArgumentNullException.ThrowIfNull(stepId);
        if (_indexById.TryGetValue(stepId, out var index))
        {
            step = Steps[index];
            return true;
        }

        step = null;
        return false;
    }

    /// <summary>Renders the graph as a Mermaid flowchart (branch edges dashed, references dotted).</summary>
    /// <returns>The Mermaid text.</returns>
    public string ToMermaid() => MermaidWriter.Write(this);

    internal int LevelOf(int index) => _levels[index];

    /// <summary>The index of the step whose <c>output_variable</c> is <paramref name="name"/>.</summary>
    internal bool TryGetOutputVariable(string name, out int index)
    {
        if (_indexByOutputVariable is not null)
        {
            return _indexByOutputVariable.TryGetValue(name, out index);
        }

        index = -1;
        return false;
    }

    /// <summary>The writers, in list order, of an output variable that several steps write (null for one writer).</summary>
    internal List<int>? WritersOf(string name) =>
        _writersByOutputVariable is not null && _writersByOutputVariable.TryGetValue(name, out var writers) ? writers : null;

    internal ExecutionPlan? BodyOf(int index) => _bodies?[index];

    internal void SetBody(int index, ExecutionPlan body) => (_bodies ??= new ExecutionPlan?[_definitionSteps.Length])[index] = body;

    /// <summary>The number of steps (without creating the step objects).</summary>
    internal int StepCount => _definitionSteps.Length;

    private PlannedStep[] CreateSteps()
    {
        var steps = new PlannedStep[_definitionSteps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i] = new PlannedStep(this, i, _definitionSteps[i]);
        }

        // Another thread may have raced us: keep the first array so every caller sees the same objects.
        return Interlocked.CompareExchange(ref _steps, steps, null) ?? steps;
    }

    internal PlannedStepList PredecessorsOf(int index) =>
        new(this, _predecessors, _predecessorOffsets[index], _predecessorOffsets[index + 1] - _predecessorOffsets[index]);

    internal PlannedStepList SuccessorsOf(int index) =>
        new(this, _successors, _successorOffsets[index], _successorOffsets[index + 1] - _successorOffsets[index]);

    internal PlannedStep? BranchOwnerOf(int index) => _branchOwners is null || _branchOwners[index] < 0 ? null : Steps[_branchOwners[index]];

    internal PlanEdgeKind EdgeKind(int predecessorSlot) => _predecessorKinds[predecessorSlot];

    internal int PredecessorAt(int predecessorSlot) => _predecessors[predecessorSlot];

    internal ReadOnlySpan<int> PredecessorOffsets => _predecessorOffsets;

    private List<string>[] BuildLevels()
    {
        var levels = new List<string>[LevelCount];
        for (var i = 0; i < levels.Length; i++)
        {
            levels[i] = [];
        }

        for (var i = 0; i < _definitionSteps.Length; i++)
        {
            levels[_levels[i]].Add(_definitionSteps[i].Id);
        }

        return levels;
    }

    private string[] BuildCriticalPath()
    {
        if (_definitionSteps.Length == 0)
        {
            return [];
        }

        // Longest path by step count, over the topological order: length[v] = 1 + max(length[u]) over predecessors u.
        var length = new int[_definitionSteps.Length];
        var previous = new int[_definitionSteps.Length];
        var end = 0;
        foreach (var v in _topologicalOrder)
        {
            length[v] = 1;
            previous[v] = -1;
            for (var slot = _predecessorOffsets[v]; slot < _predecessorOffsets[v + 1]; slot++)
            {
                var u = _predecessors[slot];
                if (length[u] + 1 > length[v])
                {
                    length[v] = length[u] + 1;
                    previous[v] = u;
                }
            }

            if (length[v] > length[end])
            {
                end = v;
            }
        }

        var path = new string[length[end]];
        for (int v = end, i = path.Length - 1; v >= 0; v = previous[v], i--)
        {
            path[i] = _definitionSteps[v].Id;
        }

        return path;
    }

    private PlanEdge[] BuildEdges()
    {
        var edges = new PlanEdge[_predecessors.Length];
        for (var v = 0; v < _definitionSteps.Length; v++)
        {
            for (var slot = _predecessorOffsets[v]; slot < _predecessorOffsets[v + 1]; slot++)
            {
                edges[slot] = new PlanEdge(_definitionSteps[_predecessors[slot]].Id, _definitionSteps[v].Id, _predecessorKinds[slot]);
            }
        }

        return edges;
    }
}
