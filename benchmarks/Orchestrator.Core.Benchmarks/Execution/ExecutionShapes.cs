using BenchmarkDotNet.Attributes;
using Orchestrator.Core.Execution;

namespace Orchestrator.Core.Benchmarks.Execution;

// One class per shape: OperationsPerInvoke must be a constant, and the classes filter apart (--filter '*ChainExecution*').

/// <summary>A chain of 1,000 steps: every step waits for the one before.</summary>
public class ChainExecution : ExecutionBenchmarks
{
    private const int Steps = 1_000;

    protected override DagShape CreateShape() => DagShape.Chain(Steps);

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public Task Floor_Sync() => FloorSyncAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public ValueTask<WorkflowExecutionResult> Orchestrator_Sync() => OrchestratorSyncAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public Task<int> AgentFramework_Sync() => AgentFrameworkSyncAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public Task Floor_Yield() => FloorYieldAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public ValueTask<WorkflowExecutionResult> Orchestrator_Yield() => OrchestratorYieldAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public Task<int> AgentFramework_Yield() => AgentFrameworkYieldAsync();
}

/// <summary>Fan-out/fan-in 1 -> 1,000 -> 1 (1,002 steps).</summary>
public class Fan1000Execution : ExecutionBenchmarks
{
    private const int Width = 1_000;
    private const int Steps = Width + 2;

    protected override DagShape CreateShape() => DagShape.FanOutFanIn(Width);

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public Task Floor_Sync() => FloorSyncAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public ValueTask<WorkflowExecutionResult> Orchestrator_Sync() => OrchestratorSyncAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public Task<int> AgentFramework_Sync() => AgentFrameworkSyncAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public Task Floor_Yield() => FloorYieldAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public ValueTask<WorkflowExecutionResult> Orchestrator_Yield() => OrchestratorYieldAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public Task<int> AgentFramework_Yield() => AgentFrameworkYieldAsync();
}

/// <summary>Fan-out/fan-in 1 -> 10,000 -> 1 (10,002 steps), for the scaling goal against <see cref="Fan1000Execution"/>.</summary>
public class Fan10000Execution : ExecutionBenchmarks
{
    private const int Width = 10_000;
    private const int Steps = Width + 2;

    protected override DagShape CreateShape() => DagShape.FanOutFanIn(Width);

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public Task Floor_Sync() => FloorSyncAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public ValueTask<WorkflowExecutionResult> Orchestrator_Sync() => OrchestratorSyncAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public Task<int> AgentFramework_Sync() => AgentFrameworkSyncAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public Task Floor_Yield() => FloorYieldAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public ValueTask<WorkflowExecutionResult> Orchestrator_Yield() => OrchestratorYieldAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public Task<int> AgentFramework_Yield() => AgentFrameworkYieldAsync();
}

/// <summary>10 layers of 100 steps, each after the first waiting for 1-3 steps of the layer before (fixed seed).</summary>
public class LayeredExecution : ExecutionBenchmarks
{
    private const int Layers = 10;
    private const int Width = 100;
    private const int Steps = Layers * Width;

    protected override DagShape CreateShape() => DagShape.Layered(Layers, Width);

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public Task Floor_Sync() => FloorSyncAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public ValueTask<WorkflowExecutionResult> Orchestrator_Sync() => OrchestratorSyncAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Sync)]
    public Task<int> AgentFramework_Sync() => AgentFrameworkSyncAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public Task Floor_Yield() => FloorYieldAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public ValueTask<WorkflowExecutionResult> Orchestrator_Yield() => OrchestratorYieldAsync();

    [Benchmark(OperationsPerInvoke = Steps), BenchmarkCategory(Yield)]
    public Task<int> AgentFramework_Yield() => AgentFrameworkYieldAsync();
}
