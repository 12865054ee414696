using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace Orchestrator.Mcp;

/// <summary>
/// One MCP server offered to workflows as a plugin: <see cref="Name"/> is the plugin name action steps write, each of
/// the server's tools an action. Created from a stdio command, a transport factory, or an already-connected client.
/// </summary>
public sealed class McpPluginServer
{
    private readonly Func<ILoggerFactory, IClientTransport>? _transportFactory;

    /// <summary>A server started as a child process and spoken to over its standard input and output.</summary>
    /// <param name="name">The plugin name, such as <c>files</c>.</param>
    /// <param name="stdio">The command, arguments, working directory and environment of the process.</param>
    public McpPluginServer(string name, StdioClientTransportOptions stdio)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(stdio);
        Name = name;
        _transportFactory = loggerFactory => new StdioClientTransport(stdio, loggerFactory);
    }

    /// <summary>
    /// A server reached through the transport <paramref name="transportFactory"/> creates (HTTP, streams, ...). The factory is
    /// called for the first connection and again to reconnect after the transport broke.
    /// </summary>
    /// <param name="name">The plugin name.</param>
    /// <param name="transportFactory">Creates a transport, given the logger factory of the catalog.</param>
    public McpPluginServer(string name, Func<ILoggerFactory, IClientTransport> transportFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(transportFactory);
        Name = name;
        _transportFactory = transportFactory;
    }

    /// <summary>
    /// A server the host has already connected to. The caller keeps the client: it is neither disposed nor reconnected
    /// here, so a broken session stays broken until the host replaces it.
    /// </summary>
    /// <param name="name">The plugin name.</param>
    /// <param name="client">The connected client.</param>
    public McpPluginServer(string name, McpClient client)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(client);
        Name = name;
        Client = client;
    }

    /// <summary>The plugin name action steps use for this server.</summary>
    public string Name { get; }

    /// <summary>What the plugin does, for people; the server's own name is used when absent.</summary>
    public string? Description { get; init; }

    /// <summary>The client options used when connecting (client info, capabilities, initialisation timeout).</summary>
    public McpClientOptions? ClientOptions { get; init; }

    /// <summary>The client given by the host, when the server was created from one.</summary>
    internal McpClient? Client { get; }

    /// <summary>A server started as <paramref name="command"/> with <paramref name="arguments"/>, spoken to over stdio.</summary>
    /// <param name="name">The plugin name.</param>
    /// <param name="command">The program, such as <c>npx</c> or <c>dotnet</c>.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The server.</returns>
    public static McpPluginServer Stdio(string name, string command, params IEnumerable<string> arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(arguments);
        return new McpPluginServer(name, new StdioClientTransportOptions { Name = name, Command = command, Arguments = [.. arguments] });
    }

    internal IClientTransport CreateTransport(ILoggerFactory loggerFactory) =>
        _transportFactory?.Invoke(loggerFactory) ?? throw new InvalidOperationException($"The MCP server '{Name}' was given as a client and cannot be reconnected.");
}
