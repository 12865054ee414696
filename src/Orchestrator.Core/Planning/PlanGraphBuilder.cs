using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>
/// Builds the graph of one step list: collects each step's predecessor edges without duplicates, then derives the
/// successors, levels and topological order as compressed arrays, and reports the cycles that leave steps unable to start.
/// </summary>
internal static class PlanGraphBuilder
{
    /// <summary>Adds the edge <paramref name="target"/> -> the current step (whose edges start at <paramref name="start"/>), once.</summary>
    public static void AddPredecessor(ref PooledList<int> predecessors, ref PooledList<PlanEdgeKind> kinds, int start, int target, PlanEdgeKind kind)
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

    /// <summary>
    /// Makes one list's graph from its predecessor edges: successors, levels and a topological order (Kahn's algorithm),
    /// reporting every cycle.
    /// </summary>
    public static PlanGraph Build(
        WorkflowStep[] steps,
        Dictionary<string, int> indexById,
        int[] predecessorOffsets,
        int[] predecessors,
        PlanEdgeKind[] kinds,
        int[]? branchOwners,
        Scope scope,
        Dictionary<string, int>? outputs, Dictionary<string, List<int>>? writers,
        PlanDiagnostics diagnostics)
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
            ReportCycles(steps, successorOffsets, successors, remaining.AsSpan(0, count).ToArray(), scope, diagnostics);
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

    private static void ReportCycles(WorkflowStep[] steps, int[] successorOffsets, int[] successors, int[] remaining, Scope scope, PlanDiagnostics diagnostics)
    {
        foreach (var cycle in CycleFinder.FindCycles(successorOffsets, successors, remaining))
        {
            var names = string.Join(" -> ", cycle.Select(i => steps[i].Id)) + " -> " + steps[cycle[0]].Id;
            diagnostics.Error(
                DiagnosticCodes.DependencyCycle,
                $"These steps wait for each other in a cycle, so none of them can start: {names}.",
                steps[cycle[0]].Id,
                scope.StepPath(cycle[0]));
        }
    }
}
