using BenchmarkDotNet.Attributes;

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
    }

    [Benchmark(Baseline = true)]
    public int[] KahnBaseline() => TopologicalBaselines.Kahn(_dag.StepCount, _dag.From, _dag.To);

    [Benchmark]
    public int[] QuikGraphBaseline() => TopologicalBaselines.QuikGraph(_dag.StepCount, _dag.From, _dag.To);
}
