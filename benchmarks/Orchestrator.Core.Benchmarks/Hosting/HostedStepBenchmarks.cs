using BenchmarkDotNet.Attributes;
using Orchestrator.Core.Benchmarks.Execution;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Benchmarks.Hosting;

/// <summary>
/// Per-step cost of the DI host's defaults against the bare executor, side by side in one run, on no-op synchronous
/// steps: <c>Bare</c> (the constructor, no side systems; the baseline), <c>DiDefaults</c> (<c>AddWorkflowOrchestrator()</c>:
/// an audit event per step, memory with a run summary, metrics) and <c>DiDefaultsTimeoutRetry</c> (the same with a
/// <c>DefaultStepTimeout</c> of 30 s and a retry policy on every step, so every step runs through the resilience
/// middleware: an attempt timeout armed per attempt, and the Polly retry pipeline once an attempt fails retryably).
/// Each shape is a subclass; Mean and Allocated are per step.
/// </summary>
/// <remarks>
/// Warmup is 20 iterations: with 3, the DI host was still getting faster while it was measured (its per-step time fell
/// from 1.82 to 0.92 us across the ten measured iterations, and the timeout path's was still falling at the tenth: its
/// larger code takes the tiered JIT longer to recompile), so the ratio compared a warming host with a warm bare
/// executor. Hosts run warm. Three processes
/// per benchmark: the bare executor's time moved by a third between processes of the same code on this machine (0.91 to
/// 1.28 us), more than the difference the goals are about, so one process per row could decide a ratio by itself.
/// </remarks>
[SimpleJob(launchCount: 3, warmupCount: 20, iterationCount: 15)]
[MemoryDiagnoser]
[MedianColumn]
public abstract class HostedStepBenchmarks
{
    private ExecutionPlan _plan = null!;
    private ExecutionPlan _retryPlan = null!;
    private WorkflowOrchestrator _bare = null!;
    private WorkflowOrchestrator _di = null!;
    private WorkflowOrchestrator _diTimeoutRetry = null!;

    protected abstract DagShape CreateShape();

    [GlobalSetup]
    public void Setup()
    {
        var shape = CreateShape();
        var workflow = shape.ToWorkflow();
        _plan = HostedSteps.Plan(workflow);
        _retryPlan = HostedSteps.Plan(HostedSteps.WithRetries(workflow));
        _bare = HostedSteps.Bare();
        _di = HostedSteps.DiDefaults();
        _diTimeoutRetry = HostedSteps.DiDefaults(o => o.DefaultStepTimeout = TimeSpan.FromSeconds(30));
        HostedSteps.Check(_bare, _plan, shape.Count, "Bare");
        HostedSteps.Check(_di, _plan, shape.Count, "DiDefaults");
        HostedSteps.Check(_diTimeoutRetry, _retryPlan, shape.Count, "DiDefaultsTimeoutRetry");
    }

    protected ValueTask<WorkflowExecutionResult> BareAsync() => _bare.ExecuteAsync(_plan, HostedSteps.Request);

    protected ValueTask<WorkflowExecutionResult> DiDefaultsAsync() => _di.ExecuteAsync(_plan, HostedSteps.Request);

    protected ValueTask<WorkflowExecutionResult> DiDefaultsTimeoutRetryAsync() => _diTimeoutRetry.ExecuteAsync(_retryPlan, HostedSteps.Request);
}

/// <summary>A chain of 1,000 no-op steps through each host.</summary>
public class HostedChainSteps : HostedStepBenchmarks
{
    private const int Steps = 1_000;

    protected override DagShape CreateShape() => DagShape.Chain(Steps);

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> Bare() => BareAsync();

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> DiDefaults() => DiDefaultsAsync();

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> DiDefaultsTimeoutRetry() => DiDefaultsTimeoutRetryAsync();
}

/// <summary>10 layers of 100 no-op steps (1-3 dependencies each, fixed seed) through each host.</summary>
public class HostedLayeredSteps : HostedStepBenchmarks
{
    private const int Steps = 1_000;

    protected override DagShape CreateShape() => DagShape.Layered(10, 100);

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> Bare() => BareAsync();

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> DiDefaults() => DiDefaultsAsync();

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> DiDefaultsTimeoutRetry() => DiDefaultsTimeoutRetryAsync();
}

/// <summary>A whole one-step run: what a host pays per run with the DI defaults against the bare constructor.</summary>
/// <remarks>Warmed up as long as <see cref="HostedStepBenchmarks"/>, in as many processes, for the same reasons.</remarks>
[SimpleJob(launchCount: 3, warmupCount: 20, iterationCount: 15)]
[MemoryDiagnoser]
[MedianColumn]
public class HostedOneStepRun
{
    private ExecutionPlan _plan = null!;
    private WorkflowOrchestrator _bare = null!;
    private WorkflowOrchestrator _di = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plan = HostedSteps.Plan(DagShape.Chain(1).ToWorkflow());
        _bare = HostedSteps.Bare();
        _di = HostedSteps.DiDefaults();
        HostedSteps.Check(_bare, _plan, 1, "Bare");
        HostedSteps.Check(_di, _plan, 1, "DiDefaults");
    }

    [Benchmark(Baseline = true)]
    public ValueTask<WorkflowExecutionResult> Bare() => _bare.ExecuteAsync(_plan, HostedSteps.Request);

    [Benchmark]
    public ValueTask<WorkflowExecutionResult> DiDefaults() => _di.ExecuteAsync(_plan, HostedSteps.Request);
}
