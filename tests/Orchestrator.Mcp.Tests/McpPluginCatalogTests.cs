using ModelContextProtocol.Client;
using Orchestrator.Core.Model;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests;

public class McpPluginCatalogTests
{
    [Fact]
    public async Task CreateAsync_RealServer_DescribesTheServerAsAPluginAndEachToolAsAnAction()
    {
        await using var fixture = await McpFixture.StartAsync();

        Assert.True(fixture.Catalog.IsInitialized);
        Assert.True(fixture.Catalog.TryGetPlugin("mail", out var plugin));
        Assert.Equal("Test mail server", plugin.Description);
        Assert.Equal(["echo", "flaky", "lock_mailbox", "search_emails", "slow", "stats"], plugin.Actions.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.True(plugin.TryGetAction("search_emails", out var search));
        Assert.Equal("Searches the mailbox.", search.Description);
        Assert.Equal(plugin, Assert.Single(fixture.Catalog.Plugins));
    }

    [Fact]
    public async Task CreateAsync_ToolInputSchema_BecomesTheActionsParameters()
    {
        await using var fixture = await McpFixture.StartAsync();

        Assert.True(fixture.Catalog.TryGetPlugin("mail", out var plugin));
        Assert.True(plugin.TryGetAction("search_emails", out var search));
        Assert.Collection(
            search.Parameters,
            query => Assert.Equal(("query", InputTypes.String, true, "Gmail-style query"), (query.Name, query.Type, query.Required, query.Description)),
            limit => Assert.Equal(("limit", InputTypes.Integer, false), (limit.Name, limit.Type, limit.Required)));
        Assert.True(plugin.TryGetAction("stats", out var stats));
        Assert.Empty(stats.Parameters);
    }

    [Fact]
    public async Task TryGetPlugin_BeforeInitialisation_ThrowsSayingHowToInitialise()
    {
        await using var catalog = new McpPluginCatalog([McpPluginServer.Stdio("files", "never-started")]);

        var error = Assert.Throws<InvalidOperationException>(() => catalog.TryGetPlugin("files", out _));

        Assert.Contains("InitializeAsync", error.Message, StringComparison.Ordinal);
        Assert.False(catalog.IsInitialized);
    }

    [Fact]
    public async Task TryGetPlugin_AnotherName_IsNotFound()
    {
        await using var fixture = await McpFixture.StartAsync();

        Assert.False(fixture.Catalog.TryGetPlugin("slack", out _));
    }

    [Fact]
    public async Task CreateAsync_StdioServerWhoseCommandDoesNotExist_ThrowsNamingTheServer()
    {
        var error = await Assert.ThrowsAsync<McpPluginDiscoveryException>(async () =>
            await McpPluginCatalog.CreateAsync([McpPluginServer.Stdio("files", "/nonexistent/mcp-server-files", "--root", "/tmp")]));

        Assert.Equal(["files"], error.Servers);
        Assert.Contains("'files'", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task InitializeAsync_AfterAFailedAttempt_TriesAgain()
    {
        var attempts = 0;
        var mail = new MailServer();
        await using var server = new InProcessMcpServer(mail.Options());
        await using var catalog = new McpPluginCatalog(
        [
            new McpPluginServer("mail", _ => ++attempts == 1 ? throw new IOException("not up yet") : server.CreateClientTransport()),
        ]);

        await Assert.ThrowsAsync<McpPluginDiscoveryException>(async () => await catalog.InitializeAsync());
        await catalog.InitializeAsync();

        Assert.Equal(2, attempts);
        Assert.True(catalog.TryGetPlugin("mail", out _));
    }

    [Fact]
    public async Task RefreshAsync_ServerGainedATool_DescribesItAfterwards()
    {
        var mail = new MailServer();
        var options = mail.Options();
        await using var server = new InProcessMcpServer(options);
        await using var catalog = await McpPluginCatalog.CreateAsync([new McpPluginServer("mail", _ => server.CreateClientTransport())]);

        options.ToolCollection!.Add(ModelContextProtocol.Server.McpServerTool.Create(() => "pong", new() { Name = "ping" }));
        Assert.True(catalog.TryGetPlugin("mail", out var before));
        await catalog.RefreshAsync();

        Assert.False(before.TryGetAction("ping", out _));
        Assert.True(catalog.TryGetPlugin("mail", out var after));
        Assert.True(after.TryGetAction("ping", out _));
    }

    [Fact]
    public void Constructor_TwoServersWithOneName_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new McpPluginCatalog([McpPluginServer.Stdio("a", "x"), McpPluginServer.Stdio("a", "y")]));

        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_ServerGivenAsAClient_LeavesTheHostsClientOpen()
    {
        var mail = new MailServer();
        await using var server = new InProcessMcpServer(mail.Options());
        await using var client = await McpClient.CreateAsync(server.CreateClientTransport());

        var catalog = await McpPluginCatalog.CreateAsync([new McpPluginServer("mail", client)]);
        await catalog.DisposeAsync();

        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "echo");
    }
}
