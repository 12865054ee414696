namespace Orchestrator.Core.Planning;

/// <summary>
/// Names the cycles among the steps Kahn's algorithm could not order: Tarjan's strongly connected components
/// (iterative, so deep graphs cannot overflow the stack), then one shortest cycle through each component.
/// </summary>
internal static class CycleFinder
{
    /// <summary>Returns one cycle (step indexes in order) per strongly connected component that has one.</summary>
    /// <param name="offsets">Successor offsets.</param>
    /// <param name="successors">Successors.</param>
    /// <param name="remaining">Per step, the predecessors Kahn's algorithm did not release; steps with 0 are ordered and ignored.</param>
    public static List<int[]> FindCycles(int[] offsets, int[] successors, int[] remaining)
    {
        var count = remaining.Length;
        var index = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        var component = new int[count];
        Array.Fill(index, -1);
        Array.Fill(component, -1);
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Slot)>();
        var next = 0;
        var components = 0;
        var cycles = new List<int[]>();

        for (var root = 0; root < count; root++)
        {
            if (remaining[root] == 0 || index[root] >= 0)
            {
                continue;
            }

            work.Push((root, offsets[root]));
            index[root] = low[root] = next++;
            stack.Push(root);
            onStack[root] = true;
            while (work.Count > 0)
            {
                var (node, slot) = work.Pop();
                var descended = false;
                for (; slot < offsets[node + 1]; slot++)
                {
                    var successor = successors[slot];
                    if (remaining[successor] == 0)
                    {
                        continue;
                    }

                    if (index[successor] < 0)
                    {
                        work.Push((node, slot + 1));
                        index[successor] = low[successor] = next++;
                        stack.Push(successor);
                        onStack[successor] = true;
                        work.Push((successor, offsets[successor]));
                        descended = true;
                        break;
                    }

                    if (onStack[successor])
                    {
                        low[node] = Math.Min(low[node], index[successor]);
                    }
                }

                if (descended)
                {
                    continue;
                }

                if (low[node] == index[node])
                {
                    var members = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component[member] = components;
                        members.Add(member);
                    }
                    while (member != node);

                    if (members.Count > 1 || HasSelfLoop(node, offsets, successors))
                    {
                        cycles.Add(ShortestCycle(members.Min(), components, component, offsets, successors));
                    }

                    components++;
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
            }
        }

        cycles.Sort((a, b) => a[0].CompareTo(b[0]));
        return cycles;
    }

    private static bool HasSelfLoop(int node, int[] offsets, int[] successors)
    {
        for (var slot = offsets[node]; slot < offsets[node + 1]; slot++)
        {
            if (successors[slot] == node)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Breadth-first search inside one component from <paramref name="start"/> back to itself.</summary>
    private static int[] ShortestCycle(int start, int componentId, int[] component, int[] offsets, int[] successors)
    {
        var previous = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            for (var slot = offsets[node]; slot < offsets[node + 1]; slot++)
            {
                var successor = successors[slot];
                if (component[successor] != componentId)
                {
                    continue;
                }

                if (successor == start)
                {
                    var path = new List<int> { node };
                    while (path[^1] != start)
                    {
                        path.Add(previous[path[^1]]);
                    }

                    path.Reverse();
                    return [.. path];
                }

                if (previous.TryAdd(successor, node))
                {
                    queue.Enqueue(successor);
                }
            }
        }

        return [start];
    }
}
