using BenchmarkDotNet.Attributes;
using Orchestrator.Core.Benchmarks.Execution;
using Orchestrator.Core.Execution;

namespace Orchestrator.Core.Benchmarks.Durability;

// One class per shape: OperationsPerInvoke must be a constant, and the classes filter apart (--filter '*ChainCheckpoint*').

/// <summary>A chain of 1,000 steps: each step finishes alone, so records are batched only as the writer falls behind.</summary>
public class ChainCheckpoint : CheckpointBenchmarks
{
    private const int Steps = 1_000;

    protected override DagShape CreateShape() => DagShape.Chain(Steps);

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> NoStore() => RunAsync("none");

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> InMemory() => RunAsync("memory");

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> Sqlite() => RunAsync("sqlite");

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> SqliteFull() => RunAsync("sqlite-full");

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> PostgreSql() => RunPostgresAsync();
}

/// <summary>10 layers of 100 steps (the executor benchmarks' layered shape): steps that finish together share a commit.</summary>
public class LayeredCheckpoint : CheckpointBenchmarks
{
    private const int Steps = 10 * 100;

    protected override DagShape CreateShape() => DagShape.Layered(10, 100);

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> NoStore() => RunAsync("none");

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> InMemory() => RunAsync("memory");

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> Sqlite() => RunAsync("sqlite");

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> SqliteFull() => RunAsync("sqlite-full");

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> PostgreSql() => RunPostgresAsync();
}
