using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Durability.Testing;

/// <summary>
/// The stores' end-to-end scenario, written once: an orchestrator from DI, with the stores a test project registers,
/// runs a one-step LLM workflow twice for one user and agent (topics <c>cats</c> then <c>dogs</c>).
/// </summary>
public static class StoresEndToEnd
{
    public const string AgentId = "writer-agent";

    private static readonly Core.Model.WorkflowDefinition Workflow = WorkflowJson.Load("""
        {
          "id": "writer",
          "input_schema": [ { "name": "topic", "type": "string", "required": true } ],
          "workflow_steps": [ { "id": "write", "type": "ai_processing", "prompt": "Write about {{input.topic}}." } ]
        }
        """).Definition!;

    /// <summary>Runs the workflow twice for <paramref name="userId"/>; the provider is handed back for the test to read the stores.</summary>
    public static async Task<TwoRuns> RunTwiceAsync(string userId, Action<IOrchestratorBuilder> addStores)
    {
        ArgumentNullException.ThrowIfNull(addStores);
        var llm = new SummarisingLlmClient();
        var services = new ServiceCollection();
        var builder = services.AddWorkflowOrchestrator().AddLlmClient(_ => llm);
        addStores(builder);
        var provider = services.BuildServiceProvider();
        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();

        var first = await orchestrator.ExecuteAsync(Workflow, Request(userId, "cats"));
        var second = await orchestrator.ExecuteAsync(Workflow, Request(userId, "dogs"));
        var stepCall = llm.Requests.Single(r => r.StepId == "write" && r.Prompt.Contains("Write about dogs", StringComparison.Ordinal));
        return new TwoRuns(provider, first, second, stepCall);
    }

    private static WorkflowExecutionRequest Request(string userId, string topic) => new()
    {
        UserId = userId,
        AgentId = AgentId,
        Inputs = JsonDocument.Parse($$"""{ "topic": "{{topic}}" }""").RootElement.Clone(),
    };

    /// <summary>The two runs' results, the second run's LLM step call, and the container (dispose it).</summary>
    public sealed record TwoRuns(ServiceProvider Services, WorkflowExecutionResult First, WorkflowExecutionResult Second, LlmRequest SecondStepCall) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }
}
