using Microsoft.Extensions.Options;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Hosting;

/// <summary>Workflows and fakes shared by the hosting tests.</summary>
internal static class HostingTestKit
{
    /// <summary>One action step calling <c>api.call</c>.</summary>
    public static WorkflowDefinition OneAction(string plugin = "api") =>
        Workflows.Load($$"""[ { "id": "call", "type": "action", "plugin": "{{plugin}}", "action": "call" } ]""");

    public static WorkflowDefinition OneLlmStep() =>
        Workflows.Load("""[ { "id": "think", "type": "ai_processing", "prompt": "Summarise the day" } ]""");

    public static WorkflowExecutionRequest Request() => new() { UserId = "u1", Inputs = Json.Parse("{}") };
}

/// <summary>An options monitor whose current value a test sets, as a configuration reload would.</summary>
internal sealed class TestOptionsMonitor(WorkflowOrchestratorOptions value) : IOptionsMonitor<WorkflowOrchestratorOptions>
{
    public WorkflowOrchestratorOptions CurrentValue { get; set; } = value;

    public WorkflowOrchestratorOptions Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<WorkflowOrchestratorOptions, string?> listener) => null;
}

/// <summary>A plugin executor the container creates: every action answers <c>{ "from": "echo" }</c>.</summary>
internal sealed class EchoPluginExecutor : Orchestrator.Core.Ports.IPluginExecutor
{
    public ValueTask<Orchestrator.Core.Ports.PluginResult> ExecuteAsync(Orchestrator.Core.Ports.PluginRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Orchestrator.Core.Ports.PluginResult.Ok(Json.Parse("""{ "from": "echo" }""")));
}
