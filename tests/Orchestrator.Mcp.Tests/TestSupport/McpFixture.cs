using Orchestrator.Core.Ports;

namespace Orchestrator.Mcp.Tests.TestSupport;

/// <summary>A <see cref="MailServer"/> served in-process as the plugin <c>mail</c>, with a catalog and an executor over it.</summary>
internal sealed class McpFixture : IAsyncDisposable
{
    private McpFixture(MailServer mail, InProcessMcpServer server, McpPluginCatalog catalog)
    {
        Mail = mail;
        Server = server;
        Catalog = catalog;
        Executor = new McpPluginExecutor(catalog);
    }

    public MailServer Mail { get; }

    public InProcessMcpServer Server { get; }

    public McpPluginCatalog Catalog { get; }

    public McpPluginExecutor Executor { get; }

    public static async Task<McpFixture> StartAsync()
    {
        var mail = new MailServer();
        var server = new InProcessMcpServer(mail.Options());
        var catalog = await McpPluginCatalog.CreateAsync([new McpPluginServer("mail", _ => server.CreateClientTransport())]);
        return new McpFixture(mail, server, catalog);
    }

    public static PluginRequest Request(string action, string parameters = "{}", string plugin = "mail") => new()
    {
        ExecutionId = "run-1",
        UserId = "u1",
        StepId = "step-1",
        Plugin = plugin,
        Action = action,
        Parameters = TestSupport.Json.Parse(parameters),
        IdempotencyKey = "run-1:step-1",
    };

    public async ValueTask DisposeAsync()
    {
        await Catalog.DisposeAsync();
        await Server.DisposeAsync();
    }
}
