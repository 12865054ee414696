using System.Globalization;
using BenchmarkDotNet.Attributes;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Benchmarks.Planning;

/// <summary>
/// Plans a random DAG of <see cref="N"/> steps end to end and, on the same graph in the same run, two baselines:
/// a bare Kahn sort over integer ids and QuikGraph's topological sort. See docs/benchmarks.md.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[MedianColumn]
public class PlanningBenchmarks
{
    private RandomWorkflowDag _dag = null!;

    [Params(1_000, 10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dag = RandomWorkflowDag.Create(N);

        // Check each contender once on this graph, so a broken one cannot post a fast number.
        TopologicalBaselines.Verify(nameof(KahnBaseline), _dag.StepCount, _dag.From, _dag.To, KahnBaseline());
        TopologicalBaselines.Verify(nameof(QuikGraphBaseline), _dag.StepCount, _dag.From, _dag.To, QuikGraphBaseline());
        VerifyPlan(Planner());
    }

    /// <summary>The planner as a caller uses it: a definition in, a validated plan (graph, order, levels) out.</summary>
    [Benchmark]
    public PlanningResult Planner() => new WorkflowPlanner().Plan(_dag.Definition);

    /// <summary>
    /// The same, then reading the two views <see cref="ExecutionPlan"/> builds on first use (level id lists and
    /// critical path), so their cost is on record too.
    /// </summary>
    [Benchmark]
    public int PlannerWithLevelsAndCriticalPath()
    {
        var plan = new WorkflowPlanner().Plan(_dag.Definition).Plan!;
        return plan.Levels.Count + plan.CriticalPath.Count;
    }

    private void VerifyPlan(PlanningResult result)
    {
        if (!result.Succeeded || result.Plan is null)
        {
            throw new InvalidOperationException("The planner failed: " + string.Join("; ", result.Diagnostics));
        }

        var plan = result.Plan;
        if (plan.Steps.Count != _dag.StepCount)
        {
            throw new InvalidOperationException($"The plan has {plan.Steps.Count} steps, expected {_dag.StepCount}.");
        }

        // Every edge of the generated graph, whether declared or only referenced, must separate two levels.
        var level = new int[_dag.StepCount];
        Array.Fill(level, -1);
        for (var l = 0; l < plan.Levels.Count; l++)
        {
            foreach (var id in plan.Levels[l])
            {
                level[int.Parse(id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture)] = l;
            }
        }

        for (var e = 0; e < _dag.EdgeCount; e++)
        {
            if (level[_dag.From[e]] < 0 || level[_dag.From[e]] >= level[_dag.To[e]])
            {
                throw new InvalidOperationException($"The plan does not order s{_dag.From[e]} before s{_dag.To[e]}.");
            }
        }

        var path = plan.CriticalPath;
        if (path.Count != plan.Levels.Count)
        {
            throw new InvalidOperationException($"The critical path has {path.Count} steps for {plan.Levels.Count} levels.");
        }
    }

    [Benchmark(Baseline = true)]
    public int[] KahnBaseline() => TopologicalBaselines.Kahn(_dag.StepCount, _dag.From, _dag.To);

    [Benchmark]
    public int[] QuikGraphBaseline() => TopologicalBaselines.QuikGraph(_dag.StepCount, _dag.From, _dag.To);
}
