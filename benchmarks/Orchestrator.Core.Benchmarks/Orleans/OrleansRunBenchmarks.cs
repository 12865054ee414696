using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Orchestrator.Core.Benchmarks.Execution;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;
using Orchestrator.Orleans.Client;
using Orleans.TestingHost;

namespace Orchestrator.Core.Benchmarks.Orleans;

/// <summary>
/// What running through the cluster costs: a 10-step no-op chain, checkpointed in the in-memory store, run in process
/// (the baseline) and through a run grain on an in-process cluster of <see cref="Silos"/> silos (client, gateway and
/// silos in one process, talking over loopback TCP). <c>OneRun</c> is the latency of one run at a time (<see cref="Sequential"/>
/// runs one after another per invocation); <c>Concurrent</c> starts <see cref="Batch"/> runs at once and waits for all.
/// OperationsPerInvoke is the run count, so Mean is per run (for <c>Concurrent</c>, its inverse is runs per second at
/// that concurrency). The stores are emptied between iterations, which makes each iteration one invocation.
/// In-process toolchain: the cluster lives in the benchmark process.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OrleansRunBenchmarks
{
    public const int Steps = 10;
    public const int Batch = 100;
    public const int Sequential = 20;

    private readonly InMemoryCheckpointStore _localStore = new();
    private readonly InMemoryCheckpointStore _clusterStore = new();
    private ExecutionPlan _plan = null!;
    private WorkflowOrchestrator _local = null!;
    private OrleansWorkflowOrchestrator _cluster = null!;
    private TestCluster _testCluster = null!;
    private int _runs;

    [Params(1, 2)]
    public int Silos { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plan = new WorkflowPlanner().Plan(DagShape.Chain(Steps).ToWorkflow()).Plan ?? throw new InvalidOperationException("The chain cannot be planned.");
        _local = new WorkflowOrchestratorBuilder(new NoopPluginExecutor(), new ThrowingLlmClient()).AddCheckpointStore(_localStore).Build();
        BenchSiloConfigurator.Store = _clusterStore;
        var builder = new TestClusterBuilder((short)Silos);
        builder.AddSiloBuilderConfigurator<BenchSiloConfigurator>();
        _testCluster = builder.Build();
        _testCluster.DeployAsync().GetAwaiter().GetResult();
        _cluster = new OrleansWorkflowOrchestrator(_testCluster.Client);

        // One checked run of each, so a broken run cannot post a fast number.
        foreach (var orchestrator in new IWorkflowOrchestrator[] { _local, _cluster })
        {
            var result = RunAsync(orchestrator).AsTask().GetAwaiter().GetResult();
            if (result.Status != ExecutionStatus.Succeeded || result.Steps.Count != Steps)
            {
                throw new InvalidOperationException($"The {orchestrator.GetType().Name} run ended {result.Status}: {result.Error}");
            }
        }
    }

    /// <summary>Finished runs are removed between iterations, so the stores do not grow through the benchmark.</summary>
    [IterationCleanup]
    public void RemoveFinishedRuns()
    {
        _localStore.DeleteExpiredAsync(DateTimeOffset.MaxValue).AsTask().GetAwaiter().GetResult();
        _clusterStore.DeleteExpiredAsync(DateTimeOffset.MaxValue).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _testCluster.StopAllSilosAsync().GetAwaiter().GetResult();
        _testCluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Sequential)]
    [BenchmarkCategory("OneRun")]
    public Task InProcess() => SequentialAsync(_local);

    [Benchmark(OperationsPerInvoke = Sequential)]
    [BenchmarkCategory("OneRun")]
    public Task ThroughGrain() => SequentialAsync(_cluster);

    private async Task SequentialAsync(IWorkflowOrchestrator orchestrator)
    {
        for (var i = 0; i < Sequential; i++)
        {
            _ = await RunAsync(orchestrator);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    [BenchmarkCategory("Concurrent")]
    public Task InProcessConcurrent() => ConcurrentAsync(_local);

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("Concurrent")]
    public Task ThroughGrainConcurrent() => ConcurrentAsync(_cluster);

    private Task ConcurrentAsync(IWorkflowOrchestrator orchestrator)
    {
        var runs = new Task[Batch];
        for (var i = 0; i < Batch; i++)
        {
            runs[i] = RunAsync(orchestrator).AsTask();
        }

        return Task.WhenAll(runs);
    }

    private ValueTask<WorkflowExecutionResult> RunAsync(IWorkflowOrchestrator orchestrator) =>
        orchestrator.ExecuteAsync(_plan, new WorkflowExecutionRequest
        {
            UserId = "bench",
            ExecutionId = "bench-" + Interlocked.Increment(ref _runs).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"),
        });

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10));
    }
}
