using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Ports;
using Orchestrator.Mcp;
using Orchestrator.Mcp.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Offers MCP servers to workflows as plugins.</summary>
public static class McpOrchestratorBuilderExtensions
{
    /// <summary>
    /// Runs action steps as tool calls on <paramref name="servers"/> and describes their tools to the planner: registers a
    /// <see cref="McpPluginCatalog"/> as the <see cref="IPluginCatalog"/>, a <see cref="McpPluginExecutor"/> as the
    /// <see cref="IPluginExecutor"/> (both replacing what was registered, the last call wins), and a hosted service that
    /// lists the tools when the host starts. Without a host, await
    /// <c>provider.GetRequiredService&lt;McpPluginCatalog&gt;().InitializeAsync()</c> before running workflows.
    /// </summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="servers">The servers; each name is a plugin name.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddMcpServers(this IOrchestratorBuilder builder, params IEnumerable<McpPluginServer> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        McpPluginServer[] list = [.. servers];
        return AddMcpServers(builder, _ => list);
    }

    /// <summary>
    /// Runs action steps as tool calls on the servers configured under <paramref name="servers"/> (such as
    /// <c>configuration.GetSection("Orchestrator:Mcp:Servers")</c>; see <see cref="McpPluginServers.FromConfiguration"/>
    /// for the keys), as <see cref="AddMcpServers(IOrchestratorBuilder, IEnumerable{McpPluginServer})"/> does. The section
    /// is read when the catalog is first resolved.
    /// </summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="servers">The section whose children are the servers, keyed by plugin name.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddMcpServers(this IOrchestratorBuilder builder, IConfiguration servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        return AddMcpServers(builder, _ => McpPluginServers.FromConfiguration(servers));
    }

    /// <summary>
    /// Runs action steps as tool calls on the servers <paramref name="servers"/> returns (from configuration, say), as
    /// <see cref="AddMcpServers(IOrchestratorBuilder, IEnumerable{McpPluginServer})"/> does.
    /// </summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="servers">Returns the servers, once, when the catalog is first resolved.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddMcpServers(this IOrchestratorBuilder builder, Func<IServiceProvider, IEnumerable<McpPluginServer>> servers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(servers);
        var services = builder.Services;

        services.RemoveAll<McpPluginCatalog>();
        services.AddSingleton(provider => new McpPluginCatalog(servers(provider), provider.GetService<ILoggerFactory>()));

        // The core's AddPluginCatalog takes an instance or a type; the catalog here needs the container, so register it directly.
        services.RemoveAll<IPluginCatalog>();
        services.AddSingleton<IPluginCatalog>(static provider => provider.GetRequiredService<McpPluginCatalog>());
        builder.AddPluginExecutor(static provider => new McpPluginExecutor(
            provider.GetRequiredService<McpPluginCatalog>(),
            provider.GetService<ILogger<McpPluginExecutor>>()));

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, McpPluginCatalogInitializer>());
        return builder;
    }
}
