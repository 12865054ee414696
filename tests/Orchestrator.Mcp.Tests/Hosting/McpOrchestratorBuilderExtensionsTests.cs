using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests.Hosting;

public sealed class McpOrchestratorBuilderExtensionsTests : IAsyncDisposable
{
    private readonly MailServer _mail;
    private readonly InProcessMcpServer _server;

    public McpOrchestratorBuilderExtensionsTests()
    {
        _mail = new MailServer();
        _server = new InProcessMcpServer(_mail.Options());
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private McpPluginServer MailPlugin() => new("mail", _ => _server.CreateClientTransport());

    private static WorkflowDefinition Load(string json)
    {
        var result = WorkflowJson.Load(json);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Definition!;
    }

    private static WorkflowExecutionRequest Request(string inputs = "{}") => new() { UserId = "u1", Inputs = TestSupport.Json.Parse(inputs) };

    private static readonly WorkflowDefinition s_digest = Load("""
        {
          "input_schema": [ { "name": "query", "type": "string", "required": true } ],
          "workflow_steps": [
            { "id": "find", "type": "action", "plugin": "mail", "action": "search_emails", "params": { "query": "{{input.query}}", "limit": 5 } },
            { "id": "say", "type": "action", "plugin": "mail", "action": "echo", "params": { "text": "{{find.data.count}} mails" }, "dependencies": [ "find" ] },
            { "id": "stats", "type": "action", "plugin": "mail", "action": "stats" }
          ],
          "output_schema": [
            { "name": "first", "source": "find.data.subjects[0]" },
            { "name": "said", "source": "say.data" },
            { "name": "unread", "source": "stats.data.unread" }
          ]
        }
        """);

    private static IHost BuildHost(Action<IOrchestratorBuilder> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        configure(builder.Services.AddWorkflowOrchestrator());
        return builder.Build();
    }

    [Fact]
    public async Task AddMcpServers_HostStarted_RunsAWorkflowWhoseActionsAreMcpTools()
    {
        using var host = BuildHost(b => b.AddMcpServers(MailPlugin()));
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(s_digest, Request("""{ "query": "is:unread" }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("Invoice overdue", result.Output.GetProperty("first").GetString());
        Assert.Equal("echo: 2 mails", result.Output.GetProperty("said").GetString());
        Assert.Equal(3, result.Output.GetProperty("unread").GetInt32());
        Assert.Equal("is:unread", _mail.Calls.Single(c => c.Name == "search_emails").Arguments!["query"].GetString());
        await host.StopAsync();
    }

    [Fact]
    public async Task AddMcpServers_WorkflowMissingARequiredArgument_IsRejectedBeforeAnyToolRuns()
    {
        using var host = BuildHost(b => b.AddMcpServers(MailPlugin()));
        await host.StartAsync();
        var workflow = Load("""
            [ { "id": "stats", "type": "action", "plugin": "mail", "action": "stats" },
              { "id": "find", "type": "action", "plugin": "mail", "action": "search_emails", "params": { "limit": 5 } },
              { "id": "drop", "type": "action", "plugin": "mail", "action": "delete_all" } ]
            """);

        var result = await host.Services.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(workflow, Request());

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal("INVALID_WORKFLOW", result.ErrorCode);
        Assert.Contains("query", result.Error, StringComparison.Ordinal);
        Assert.Contains("delete_all", result.Error, StringComparison.Ordinal);
        Assert.Empty(_mail.Calls);
    }

    [Fact]
    public async Task AddMcpServers_ToolFailsWithATransientError_TheStepsRetryPolicyRetriesIt()
    {
        using var host = BuildHost(b => b.AddMcpServers(MailPlugin()));
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(
            Load("""[ { "id": "try", "type": "action", "plugin": "mail", "action": "flaky", "retryPolicy": { "maxRetries": 2, "backoffMs": 0 } } ]"""),
            Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("ok", result.Steps["try"].Data.GetString());
        Assert.Equal(2, result.Steps["try"].Attempts);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddMcpServers_ToolReportsAnError_TheStepFailsWithTheToolsMessage()
    {
        using var host = BuildHost(b => b.AddMcpServers(MailPlugin()));
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(
            Load("""[ { "id": "lock", "type": "action", "plugin": "mail", "action": "lock_mailbox", "params": { "reason": "audit" }, "retryPolicy": { "maxRetries": 2, "backoffMs": 0 } } ]"""),
            Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(McpPluginErrorCodes.ToolError, result.Steps["lock"].ErrorCode);
        Assert.Contains("The mailbox is locked: audit", result.Steps["lock"].Error, StringComparison.Ordinal);
        Assert.Equal(1, result.Steps["lock"].Attempts); // a tool's own error is not retried
    }

    [Fact]
    public async Task AddMcpServers_ServerUnreachable_TheHostDoesNotStart()
    {
        using var host = BuildHost(b => b.AddMcpServers(McpPluginServer.Stdio("files", "/nonexistent/mcp-server-files")));

        var error = await Assert.ThrowsAsync<McpPluginDiscoveryException>(() => host.StartAsync());

        Assert.Equal(["files"], error.Servers);
    }

    [Fact]
    public async Task AddMcpServers_WithoutAHost_RunsOnceTheCatalogIsInitialised()
    {
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator().AddMcpServers(_ => [MailPlugin()]);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();

        // The catalog's refusal before InitializeAsync is the host's fault, never an exception out of ExecuteAsync (issue 12).
        var early = await orchestrator.ExecuteAsync(s_digest, Request("""{ "query": "x" }"""));
        await provider.GetRequiredService<McpPluginCatalog>().InitializeAsync();
        var result = await orchestrator.ExecuteAsync(s_digest, Request("""{ "query": "x" }"""));

        Assert.Equal(ExecutionStatus.Rejected, early.Status);
        Assert.Contains("InitializeAsync", early.Error, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task AddMcpServers_RegistersOneCatalogAsThePluginCatalogAndAnExecutorOverIt()
    {
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator().AddPluginCatalog(new InMemoryPluginCatalog([])).AddMcpServers(MailPlugin());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Same(provider.GetRequiredService<McpPluginCatalog>(), Assert.Single(provider.GetServices<IPluginCatalog>()));
        Assert.IsType<McpPluginExecutor>(Assert.Single(provider.GetServices<IPluginExecutor>()));
        Assert.Single(provider.GetServices<IHostedService>());
    }

    [Fact]
    public async Task AddMcpServers_ContainerDisposed_ClosesTheSessionsSoLaterCallsAreCancelled()
    {
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator().AddMcpServers(MailPlugin());
        var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<McpPluginCatalog>();
        await catalog.InitializeAsync();
        var executor = provider.GetRequiredService<IPluginExecutor>();

        await provider.DisposeAsync();

        var result = await executor.ExecuteAsync(McpFixture.Request("stats"));

        Assert.Equal((false, McpPluginErrorCodes.Cancelled, false), (result.Success, result.ErrorCode, result.Retryable));
        Assert.Contains("shutting down", result.Error, StringComparison.Ordinal);
    }
}
