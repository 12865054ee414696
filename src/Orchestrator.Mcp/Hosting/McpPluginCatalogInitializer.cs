using Microsoft.Extensions.Hosting;

namespace Orchestrator.Mcp.Hosting;

/// <summary>
/// Lists the MCP servers' tools when the host starts, so the catalog is ready before any workflow is planned. A server
/// that cannot be reached stops the host from starting, with the server named, rather than failing every run later.
/// When the host stops, calls still in flight end as cancelled (<see cref="McpPluginErrorCodes.Cancelled"/>).
/// </summary>
internal sealed class McpPluginCatalogInitializer(McpPluginCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => catalog.InitializeAsync(cancellationToken).AsTask();

    public Task StopAsync(CancellationToken cancellationToken) => catalog.StopCallsAsync().AsTask();
}
