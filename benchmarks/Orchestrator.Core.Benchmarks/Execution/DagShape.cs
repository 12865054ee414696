using Orchestrator.Core.Model;

namespace Orchestrator.Core.Benchmarks.Execution;

/// <summary>
/// A step graph as int adjacency, the one description every executor under test is built from, so the
/// orchestrator, the hand-written floor and Agent Framework run exactly the same graph.
/// </summary>
public sealed class DagShape
{
    private DagShape(string name, int[][] dependencies)
    {
        Name = name;
        Dependencies = dependencies;
        var dependents = new List<int>[dependencies.Length];
        for (var v = 0; v < dependencies.Length; v++)
        {
            dependents[v] = [];
        }

        for (var v = 0; v < dependencies.Length; v++)
        {
            foreach (var dependency in dependencies[v])
            {
                dependents[dependency].Add(v);
            }
        }

        Dependents = [.. dependents.Select(d => d.ToArray())];
    }

    public string Name { get; }

    /// <summary>For each step, the steps it waits for (all with a lower index: the steps are in a topological order).</summary>
    public int[][] Dependencies { get; }

    /// <summary>For each step, the steps that wait for it.</summary>
    public int[][] Dependents { get; }

    public int Count => Dependencies.Length;

    /// <summary>s0 -> s1 -> ... -> s(n-1).</summary>
    public static DagShape Chain(int length) =>
        new($"chain {length}", [.. Enumerable.Range(0, length).Select(v => v == 0 ? Array.Empty<int>() : [v - 1])]);

    /// <summary>One root, <paramref name="width"/> steps that each wait for it, and one sink that waits for all of them.</summary>
    public static DagShape FanOutFanIn(int width)
    {
        var dependencies = new int[width + 2][];
        dependencies[0] = [];
        for (var v = 1; v <= width; v++)
        {
            dependencies[v] = [0];
        }

        dependencies[width + 1] = [.. Enumerable.Range(1, width)];
        return new DagShape($"fan 1->{width}->1", dependencies);
    }

    /// <summary>
    /// <paramref name="layers"/> layers of <paramref name="width"/> steps; every step after the first layer waits for
    /// 1 to 3 distinct steps of the layer before, drawn with a fixed seed so every run and every executor sees one graph.
    /// </summary>
    public static DagShape Layered(int layers, int width, int seed = 20_240_601)
    {
        var random = new Random(seed);
        var dependencies = new int[layers * width][];
        for (var layer = 0; layer < layers; layer++)
        {
            for (var i = 0; i < width; i++)
            {
                var v = (layer * width) + i;
                if (layer == 0)
                {
                    dependencies[v] = [];
                    continue;
                }

                var count = random.Next(1, 4);
                var chosen = new SortedSet<int>();
                while (chosen.Count < count)
                {
                    chosen.Add(((layer - 1) * width) + random.Next(width));
                }

                dependencies[v] = [.. chosen];
            }
        }

        return new DagShape($"layered {layers}x{width}", dependencies);
    }

    /// <summary>The shape as a workflow of no-parameter action steps (plugin <c>noop</c>, action <c>run</c>), dependencies declared.</summary>
    public WorkflowDefinition ToWorkflow() => new()
    {
        Id = "bench-" + Name.Replace(' ', '-'),
        Name = Name,
        Steps = [.. Enumerable.Range(0, Count).Select(v => (WorkflowStep)new ActionStep
        {
            Id = StepId(v),
            Plugin = "noop",
            Action = "run",
            Dependencies = [.. Dependencies[v].Select(StepId)],
        })],
    };

    public static string StepId(int v) => "s" + v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
