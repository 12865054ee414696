using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Benchmarks.Execution;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Benchmarks.Hosting;

/// <summary>
/// Orchestrators as hosts build them, shared by the hosted benchmarks: the bare constructor (no side systems), and
/// <c>AddWorkflowOrchestrator()</c> with its defaults (in-memory audit sink receiving every step event, in-memory memory
/// store with a run summary per run, in-memory metrics sink), the benchmark's no-op plugin executor and a stand-in LLM.
/// </summary>
public static class HostedSteps
{
    public static readonly WorkflowExecutionRequest Request = new() { UserId = "bench", AgentId = "bench-agent" };

    public static WorkflowOrchestrator Bare() => new WorkflowOrchestratorBuilder(new NoopPluginExecutor(), new ThrowingLlmClient()).Build();

    /// <summary>The DI host's orchestrator; <paramref name="configure"/> sets options on top of the defaults.</summary>
    public static WorkflowOrchestrator DiDefaults(Action<WorkflowOrchestratorOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator(configure)
            .AddPluginExecutor(_ => new NoopPluginExecutor())
            .AddLlmClient(_ => new SummaryOnlyLlmClient());

        // The provider lives as long as the benchmark process: nothing here needs disposing.
        return services.BuildServiceProvider().GetRequiredService<WorkflowOrchestrator>();
    }

    public static ExecutionPlan Plan(WorkflowDefinition definition) =>
        new WorkflowPlanner().Plan(definition).Plan ?? throw new InvalidOperationException($"{definition.Id} cannot be planned.");

    /// <summary>The same workflow with a retry policy on every step (two retries; a no-op step never uses them).</summary>
    public static WorkflowDefinition WithRetries(WorkflowDefinition definition) => definition with
    {
        Steps = [.. definition.Steps.Select(s => s with { RetryPolicy = new RetryPolicy { MaxRetries = 2, Backoff = TimeSpan.FromMilliseconds(10) } })],
    };

    /// <summary>Runs once and throws unless every step succeeded without warnings, so a broken run cannot post a fast number.</summary>
    public static void Check(WorkflowOrchestrator orchestrator, ExecutionPlan plan, int steps, string name)
    {
        var result = orchestrator.ExecuteAsync(plan, Request).AsTask().GetAwaiter().GetResult();
        if (result.Status != ExecutionStatus.Succeeded || result.Steps.Count != steps || result.Warnings.Count > 0
            || result.Steps.Values.Any(s => s.Status != StepStatus.Succeeded))
        {
            throw new InvalidOperationException($"{name}: the run ended {result.Status} with {result.Warnings.Count} warnings: {result.Error} {string.Join(" ", result.Warnings)}");
        }
    }
}
