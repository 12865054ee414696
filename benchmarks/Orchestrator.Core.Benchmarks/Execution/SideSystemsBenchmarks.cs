using BenchmarkDotNet.Attributes;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Benchmarks.Execution;

/// <summary>
/// What the host's side systems cost per step, on the 10 x 100 layered shape with no-op synchronous steps: the bare
/// orchestrator (no sinks, no memory) against the same orchestrator with what <c>AddWorkflowOrchestrator()</c> gives by
/// default (an in-memory audit sink receiving every step event, the in-memory metrics sink and memory store, with each run
/// summarised by a stand-in LLM that answers at once), side by side in one run. Mean and Allocated are per step.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
[MedianColumn]
public class SideSystemsBenchmarks
{
    private const int Layers = 10;
    private const int Width = 100;
    private const int Steps = Layers * Width;

    private static readonly WorkflowExecutionRequest s_request = new() { UserId = "bench", AgentId = "bench-agent" };

    private ExecutionPlan _plan = null!;
    private WorkflowOrchestrator _bare = null!;
    private WorkflowOrchestrator _withSideSystems = null!;
    private WorkflowOrchestrator _runEventsOnly = null!;

    [GlobalSetup]
    public void Setup()
    {
        var planning = new WorkflowPlanner().Plan(DagShape.Layered(Layers, Width).ToWorkflow());
        _plan = planning.Plan ?? throw new InvalidOperationException("The shape cannot be planned.");
        _bare = new WorkflowOrchestratorBuilder(new NoopPluginExecutor(), new ThrowingLlmClient()).Build();
        _withSideSystems = new WorkflowOrchestratorBuilder(new NoopPluginExecutor(), new SummaryOnlyLlmClient()).AddMemoryStore(new InMemoryMemoryStore(maxRunsPerAgent: 10)).AddAuditSink(new InMemoryAuditSink(capacity: 2 * Steps)).AddMetricsSink(new InMemoryExecutionMetricsSink(capacity: 10)).Build();

        var runEventsOnly = new WorkflowOrchestratorOptions();
        runEventsOnly.Audit.IncludeStepEvents = false;
        _runEventsOnly = new WorkflowOrchestratorBuilder(new NoopPluginExecutor(), new SummaryOnlyLlmClient()).UseOptions(runEventsOnly).AddMemoryStore(new InMemoryMemoryStore(maxRunsPerAgent: 10)).AddAuditSink(new InMemoryAuditSink(capacity: 2 * Steps)).AddMetricsSink(new InMemoryExecutionMetricsSink(capacity: 10)).Build();

        // One checked run of each, so a broken run cannot post a fast number.
        foreach (var orchestrator in new[] { _bare, _withSideSystems, _runEventsOnly })
        {
            var result = orchestrator.ExecuteAsync(_plan, s_request).AsTask().GetAwaiter().GetResult();
            if (result.Status != ExecutionStatus.Succeeded || result.Steps.Count != Steps || result.Warnings.Count > 0)
            {
                throw new InvalidOperationException($"The run ended {result.Status} with {result.Warnings.Count} warnings: {result.Error} {string.Join(" ", result.Warnings)}");
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> Bare() => _bare.ExecuteAsync(_plan, s_request);

    /// <summary>Memory, metrics and the run's own audit events, without an event per step.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> WithRunEventsOnly() => _runEventsOnly.ExecuteAsync(_plan, s_request);

    [Benchmark(OperationsPerInvoke = Steps)]
    public ValueTask<WorkflowExecutionResult> WithAuditMetricsAndMemory() => _withSideSystems.ExecuteAsync(_plan, s_request);
}
