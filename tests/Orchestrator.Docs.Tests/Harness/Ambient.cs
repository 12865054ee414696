using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>
/// The ambient names a ```csharp block of the docs may use without declaring them, as if they were variables of the
/// surrounding program (a block's own local of the same name hides them). Blocks are compiled, never run.
/// Keep this list short: each name here is one a reader must guess the meaning of.
/// </summary>
public static class Ambient
{
    /// <summary>The sample's email workflow, as JSON text.</summary>
    public const string json = """
        {
          "id": "email-summary",
          "agent_name": "Email Summary and Notification Agent",
          "input_schema": [ { "name": "channel", "type": "string", "required": true } ],
          "workflow_steps": [
            { "id": "step1", "type": "action", "plugin": "google-mail", "action": "search_emails", "params": { "query": "is:unread" } },
            { "id": "step2", "type": "ai_processing", "prompt": "Summarise these emails: {{step1.data.emails}}" },
            { "id": "step3", "type": "action", "plugin": "slack", "action": "send_message",
              "params": { "channel": "{{input.channel}}", "text": "{{step2.data.decision}}" } }
          ]
        }
        """;

    /// <summary>A Generic Host builder (<c>Host.CreateApplicationBuilder(args)</c>).</summary>
    public static HostApplicationBuilder builder { get; } = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

    /// <summary>A service collection (<c>builder.Services</c>).</summary>
    public static IServiceCollection services => builder.Services;

    /// <summary>A built host (<c>builder.Build()</c>).</summary>
    public static IHost app { get; } = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true }).Build();

    /// <summary>The host's plugin catalog: <c>google-mail.search_emails</c> and <c>slack.send_message</c>.</summary>
    public static IPluginCatalog myCatalog { get; } = new InMemoryPluginCatalog(
    [
        new PluginDescriptor
        {
            Name = "google-mail",
            Actions = [new PluginActionDescriptor { Name = "search_emails", Parameters = [new PluginParameterDescriptor { Name = "query", Type = "string" }] }],
        },
        new PluginDescriptor
        {
            Name = "slack",
            Actions = [new PluginActionDescriptor
            {
                Name = "send_message",
                Parameters = [new PluginParameterDescriptor { Name = "channel", Required = true }, new PluginParameterDescriptor { Name = "text", Required = true }],
            }],
        },
    ]);

    /// <summary>The host's workflow registry, for <c>sub_workflow</c> steps that name a workflow.</summary>
    public static IWorkflowRegistry myRegistry { get; } = new InMemoryWorkflowRegistry();

    /// <summary>The host's plugins (a <see cref="MyPlugins"/>).</summary>
    public static IPluginExecutor pluginExecutor { get; } = new MyPlugins();

    /// <summary>The host's LLM (a <see cref="MyLlm"/>).</summary>
    public static ILlmClient llmClient { get; } = new MyLlm();

    /// <summary>An orchestrator over <see cref="pluginExecutor"/> and <see cref="llmClient"/>.</summary>
    public static IWorkflowOrchestrator orchestrator { get; } = new WorkflowOrchestratorBuilder(pluginExecutor, llmClient).Build();

    /// <summary>The plan of <see cref="json"/>.</summary>
    public static ExecutionPlan plan => new WorkflowPlanner(myCatalog).Plan(WorkflowJson.Load(json)).GetPlanOrThrow();

    /// <summary>The caller's cancellation token.</summary>
    public static CancellationToken cancellationToken => CancellationToken.None;

    /// <summary>Inputs of a run of <see cref="json"/>.</summary>
    public static JsonElement inputs { get; } = JsonDocument.Parse("""{ "channel": "#inbox" }""").RootElement.Clone();
}
