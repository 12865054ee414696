using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Benchmarks.Execution;

/// <summary>
/// Per-step overhead of running a whole workflow of no-op steps: Orchestrator.Core's full default pipeline (one
/// <see cref="WorkflowOrchestrator"/>, in-memory host parts, no retries), a bare hand-written DAG executor (the floor)
/// and Microsoft Agent Framework, each with steps that complete synchronously and with steps that <c>await Task.Yield()</c>.
/// Each shape is a subclass whose benchmarks set <c>OperationsPerInvoke</c> to its step count, so Mean and Allocated are per step.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class ExecutionBenchmarks
{
    protected const string Sync = "sync";
    protected const string Yield = "yield";

    private static readonly WorkflowExecutionRequest s_request = new() { UserId = "bench" };

    private ExecutionPlan _plan = null!;
    private WorkflowOrchestrator _syncOrchestrator = null!;
    private WorkflowOrchestrator _yieldOrchestrator = null!;
    private BareDagExecutor _floor = null!;
    private AgentFrameworkGraph? _syncAgentFramework;
    private AgentFrameworkGraph? _yieldAgentFramework;
    private int _floorSteps;

    protected abstract DagShape CreateShape();

    /// <summary>Whether Agent Framework is measured on this shape (off where it would take too long).</summary>
    protected virtual bool WithAgentFramework => true;

    [GlobalSetup]
    public void Setup()
    {
        var shape = CreateShape();
        var planning = new WorkflowPlanner().Plan(shape.ToWorkflow());
        _plan = planning.Plan ?? throw new InvalidOperationException("The shape cannot be planned: " + string.Join("; ", planning.Diagnostics));
        _syncOrchestrator = new WorkflowOrchestratorBuilder(new NoopPluginExecutor(), new ThrowingLlmClient()).Build();
        _yieldOrchestrator = new WorkflowOrchestratorBuilder(new YieldingPluginExecutor(), new ThrowingLlmClient()).Build();
        _floor = new BareDagExecutor(shape);
        if (WithAgentFramework)
        {
            _syncAgentFramework = new AgentFrameworkGraph(shape, yield: false);
            _yieldAgentFramework = new AgentFrameworkGraph(shape, yield: true);
        }

        // One checked run of each, so a broken run cannot post a fast number.
        foreach (var orchestrator in new[] { _syncOrchestrator, _yieldOrchestrator })
        {
            var result = orchestrator.ExecuteAsync(_plan, s_request).AsTask().GetAwaiter().GetResult();
            if (result.Status != ExecutionStatus.Succeeded || result.Steps.Count != shape.Count || result.Steps.Values.Any(s => s.Status != StepStatus.Succeeded))
            {
                throw new InvalidOperationException($"The orchestrator's run of {shape.Name} ended {result.Status}: {result.Error}");
            }
        }

        _floorSteps = 0;
        FloorSyncAsync().GetAwaiter().GetResult();
        FloorYieldAsync().GetAwaiter().GetResult();
        if (Volatile.Read(ref _floorSteps) != 2 * shape.Count)
        {
            throw new InvalidOperationException($"The floor ran {_floorSteps} steps of {shape.Name}, not {2 * shape.Count}.");
        }

        foreach (var graph in new[] { _syncAgentFramework, _yieldAgentFramework })
        {
            if (graph is not null && graph.RunAsync().GetAwaiter().GetResult() is var fired && fired != graph.Executors)
            {
                throw new InvalidOperationException($"Agent Framework ran {fired} of the {graph.Executors} executors of {shape.Name}.");
            }
        }
    }

    protected ValueTask<WorkflowExecutionResult> OrchestratorSyncAsync() => _syncOrchestrator.ExecuteAsync(_plan, s_request);

    protected ValueTask<WorkflowExecutionResult> OrchestratorYieldAsync() => _yieldOrchestrator.ExecuteAsync(_plan, s_request);

    protected Task FloorSyncAsync() => _floor.RunAsync(NoopStep);

    protected Task FloorYieldAsync() => _floor.RunAsync(YieldingStep);

    protected Task<int> AgentFrameworkSyncAsync() => _syncAgentFramework!.RunAsync();

    protected Task<int> AgentFrameworkYieldAsync() => _yieldAgentFramework!.RunAsync();

    private ValueTask NoopStep()
    {
        Interlocked.Increment(ref _floorSteps);
        return ValueTask.CompletedTask;
    }

    private async ValueTask YieldingStep()
    {
        await Task.Yield();
        Interlocked.Increment(ref _floorSteps);
    }
}
