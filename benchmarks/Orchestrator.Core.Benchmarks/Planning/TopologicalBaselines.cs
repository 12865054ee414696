using QuikGraph;
using QuikGraph.Algorithms;

namespace Orchestrator.Core.Benchmarks.Planning;

/// <summary>The two reference points the planner is measured against. Both start from the integer edge list.</summary>
internal static class TopologicalBaselines
{
    /// <summary>
    /// Kahn's algorithm over integer ids, including building the adjacency (CSR arrays) from the edge list, as the
    /// planner must build its own from the definition. No ids, no levels, no critical path: the floor.
    /// </summary>
    /// <returns>The vertices in a topological order.</returns>
    public static int[] Kahn(int vertexCount, int[] from, int[] to)
    {
        var edgeCount = from.Length;
        var offsets = new int[vertexCount + 1];
        var inDegree = new int[vertexCount];
        for (var e = 0; e < edgeCount; e++)
        {
            offsets[from[e] + 1]++;
            inDegree[to[e]]++;
        }

        for (var v = 0; v < vertexCount; v++)
        {
            offsets[v + 1] += offsets[v];
        }

        var cursor = offsets.AsSpan(0, vertexCount).ToArray();
        var targets = new int[edgeCount];
        for (var e = 0; e < edgeCount; e++)
        {
            targets[cursor[from[e]]++] = to[e];
        }

        // The output array doubles as the queue: head reads, tail appends.
        var order = new int[vertexCount];
        var tail = 0;
        for (var v = 0; v < vertexCount; v++)
        {
            if (inDegree[v] == 0)
            {
                order[tail++] = v;
            }
        }

        for (var head = 0; head < tail; head++)
        {
            var v = order[head];
            for (var k = offsets[v]; k < offsets[v + 1]; k++)
            {
                var w = targets[k];
                if (--inDegree[w] == 0)
                {
                    order[tail++] = w;
                }
            }
        }

        if (tail != vertexCount)
        {
            throw new InvalidOperationException("The graph has a cycle.");
        }

        return order;
    }

    /// <summary>
    /// QuikGraph at its best for this input: capacities given up front and parallel-edge checks off (the
    /// generator never repeats an edge), then its depth-first <c>TopologicalSort</c>.
    /// </summary>
    /// <returns>The vertices in a topological order.</returns>
    public static int[] QuikGraph(int vertexCount, int[] from, int[] to)
    {
        var graph = new AdjacencyGraph<int, Edge<int>>(allowParallelEdges: true, vertexCount, edgeCapacity: 4);
        for (var v = 0; v < vertexCount; v++)
        {
            graph.AddVertex(v);
        }

        for (var e = 0; e < from.Length; e++)
        {
            graph.AddEdge(new Edge<int>(from[e], to[e]));
        }

        var order = new int[vertexCount];
        var index = 0;
        foreach (var v in graph.TopologicalSort())
        {
            order[index++] = v;
        }

        return order;
    }

    /// <summary>Throws unless <paramref name="order"/> is a permutation of the vertices that respects every edge.</summary>
    public static void Verify(string name, int vertexCount, int[] from, int[] to, int[] order)
    {
        if (order.Length != vertexCount)
        {
            throw new InvalidOperationException($"{name}: {order.Length} vertices in the order, expected {vertexCount}.");
        }

        var position = new int[vertexCount];
        Array.Fill(position, -1);
        for (var i = 0; i < order.Length; i++)
        {
            if (position[order[i]] >= 0)
            {
                throw new InvalidOperationException($"{name}: vertex {order[i]} appears twice.");
            }

            position[order[i]] = i;
        }

        for (var e = 0; e < from.Length; e++)
        {
            if (position[from[e]] >= position[to[e]])
            {
                throw new InvalidOperationException($"{name}: edge {from[e]} -> {to[e]} is out of order.");
            }
        }
    }
}
