using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Serialization;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests.Configuration;

/// <summary>Servers read from configuration, and a real stdio server run as a child process.</summary>
public class McpPluginServersTests
{
    private static IConfigurationSection Servers(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Orchestrator:Mcp:Servers");

    private static Dictionary<string, string?> StdioServer(string name = "local", int extraArguments = 0)
    {
        var values = new Dictionary<string, string?>
        {
            [$"Orchestrator:Mcp:Servers:{name}:Command"] = StdioTestServer.Dotnet,
            [$"Orchestrator:Mcp:Servers:{name}:Arguments:0"] = StdioTestServer.Dll,
            [$"Orchestrator:Mcp:Servers:{name}:Environment:GREETING"] = "hello from configuration",
            [$"Orchestrator:Mcp:Servers:{name}:Description"] = "A child process",
        };
        for (var i = 1; i <= extraArguments; i++)
        {
            values[$"Orchestrator:Mcp:Servers:{name}:Arguments:{i}"] = "a" + i;
        }

        return values;
    }

    [Fact]
    public async Task FromConfiguration_StdioServer_StartsTheCommandWithItsArgumentsInOrderAndItsEnvironment()
    {
        var servers = McpPluginServers.FromConfiguration(Servers(StdioServer(extraArguments: 11)));
        await using var catalog = await McpPluginCatalog.CreateAsync(servers);
        var executor = new McpPluginExecutor(catalog);

        var arguments = await executor.ExecuteAsync(McpFixture.Request("arguments", plugin: "local"));
        var environment = await executor.ExecuteAsync(McpFixture.Request("environment", """{ "name": "GREETING" }""", plugin: "local"));

        Assert.Equal("a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11", arguments.Data.GetString()); // "10" sorts after "9", not after "1"
        Assert.Equal("hello from configuration", environment.Data.GetString());
        Assert.True(catalog.TryGetPlugin("local", out var plugin));
        Assert.Equal("A child process", plugin.Description);
        Assert.Equal(["arguments", "echo", "environment", "exit"], plugin.Actions.Select(a => a.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AddMcpServers_StdioServerProcessExits_TheCallFailsRetryablyAndARetriedStepStartsItAgain()
    {
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator().AddMcpServers(Servers(StdioServer()));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<McpPluginCatalog>().InitializeAsync();
        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();

        var exited = await provider.GetRequiredService<Orchestrator.Core.Ports.IPluginExecutor>().ExecuteAsync(McpFixture.Request("exit", plugin: "local"));
        var loaded = WorkflowJson.Load("""
            [ { "id": "say", "type": "action", "plugin": "local", "action": "echo", "params": { "text": "again" }, "retryPolicy": { "maxRetries": 2, "backoffMs": 0 } } ]
            """);
        var result = await orchestrator.ExecuteAsync(loaded.Definition!, new WorkflowExecutionRequest { UserId = "u1", Inputs = TestSupport.Json.Parse("{}") });

        Assert.Equal((false, McpPluginErrorCodes.Transport, true), (exited.Success, exited.ErrorCode, exited.Retryable));
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("stdio: again", result.Steps["say"].Data.GetString());
    }

    [Fact]
    public async Task FromConfiguration_UrlServer_IsReachedOverHttp()
    {
        // Port 9 (discard) on the loopback: nothing listens, so the connection is refused at once.
        var servers = McpPluginServers.FromConfiguration(Servers(new() { ["Orchestrator:Mcp:Servers:remote:Url"] = "http://127.0.0.1:9/mcp" }));

        var error = await Assert.ThrowsAsync<McpPluginDiscoveryException>(async () => await McpPluginCatalog.CreateAsync(servers));

        Assert.Equal("remote", Assert.Single(servers).Name);
        Assert.Equal(["remote"], error.Servers);
    }

    [Fact]
    public void FromConfiguration_ServersInOrder_KeyedByPluginName()
    {
        var servers = McpPluginServers.FromConfiguration(Servers(new()
        {
            ["Orchestrator:Mcp:Servers:slack:Url"] = "https://mcp.example/slack",
            ["Orchestrator:Mcp:Servers:slack:Headers:Authorization"] = "Bearer x",
            ["Orchestrator:Mcp:Servers:google-mail:Command"] = "npx",
        }));

        Assert.Equal(["google-mail", "slack"], servers.Select(s => s.Name));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("npx", "https://mcp.example")]
    [InlineData(null, "not a url")]
    public void FromConfiguration_NeitherOrBothOfCommandAndUrlOrABadUrl_ThrowsNamingTheServer(string? command, string? url)
    {
        var section = Servers(new()
        {
            ["Orchestrator:Mcp:Servers:broken:Command"] = command,
            ["Orchestrator:Mcp:Servers:broken:Url"] = url,
            ["Orchestrator:Mcp:Servers:broken:Description"] = "x",
        });

        var error = Assert.Throws<InvalidOperationException>(() => McpPluginServers.FromConfiguration(section));

        Assert.Contains("Orchestrator:Mcp:Servers:broken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_EmptySection_HasNoServers() =>
        Assert.Empty(McpPluginServers.FromConfiguration(Servers([])));

    [Fact]
    public void FromConfiguration_PerServerOptions_AreRead()
    {
        var values = StdioServer();
        values["Orchestrator:Mcp:Servers:local:MaxConcurrentCalls"] = "1";
        values["Orchestrator:Mcp:Servers:local:InitializationTimeout"] = "00:00:07";
        values["Orchestrator:Mcp:Servers:local:ShutdownTimeout"] = "00:00:00.5";
        values["Orchestrator:Mcp:Servers:local:Client:ProtocolVersion"] = "2025-06-18";
        values["Orchestrator:Mcp:Servers:local:Client:Name"] = "my-agent";

        var server = Assert.Single(McpPluginServers.FromConfiguration(Servers(values)));

        Assert.Equal(1, server.MaxConcurrentCalls);
        Assert.Equal(TimeSpan.FromSeconds(7), server.InitializationTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), server.ShutdownTimeout);
        Assert.Equal("2025-06-18", server.ClientOptions!.ProtocolVersion);
        Assert.Equal("my-agent", server.ClientOptions.ClientInfo!.Name);
    }

    [Theory]
    [InlineData("MaxConcurrentCalls", "0")]
    [InlineData("MaxConcurrentCalls", "many")]
    [InlineData("InitializationTimeout", "10s")]
    [InlineData("ShutdownTimeout", "-00:00:01")]
    public void FromConfiguration_OptionThatDoesNotParse_IsAnErrorNamingTheKey(string key, string value)
    {
        var values = StdioServer();
        values[$"Orchestrator:Mcp:Servers:local:{key}"] = value;

        var error = Assert.Throws<InvalidOperationException>(() => McpPluginServers.FromConfiguration(Servers(values)));

        Assert.Contains($"Orchestrator:Mcp:Servers:local:{key}", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }
}
