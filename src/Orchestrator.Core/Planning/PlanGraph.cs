using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>The arrays a planned step list is made of (compressed adjacency in both directions).</summary>
internal sealed class PlanGraph
{
    public required WorkflowStep[] Steps { get; init; }

    public required Dictionary<string, int> IndexById { get; init; }

    /// <summary>The index of the step each <c>output_variable</c> names; null when the list declares none.</summary>
    public Dictionary<string, int>? IndexByOutputVariable { get; init; }

    /// <summary>Every writer, in list order, of each output variable written by more than one step; null when none is.</summary>
    public Dictionary<string, List<int>>? WritersByOutputVariable { get; init; }

    public required int[] PredecessorOffsets { get; init; }

    public required int[] Predecessors { get; init; }

    public required PlanEdgeKind[] PredecessorKinds { get; init; }

    public required int[] SuccessorOffsets { get; init; }

    public required int[] Successors { get; init; }

    public required int[] Levels { get; init; }

    public required int LevelCount { get; init; }

    public required int[]? BranchOwners { get; init; }

    public required int[] TopologicalOrder { get; init; }
}
