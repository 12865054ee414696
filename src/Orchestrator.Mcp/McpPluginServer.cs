using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Orchestrator.Mcp.Connections;

namespace Orchestrator.Mcp;

/// <summary>
/// One MCP server offered to workflows as a plugin: <see cref="Name"/> is the plugin name action steps write, each of
/// the server's tools an action. Created from a stdio command, a transport factory, or an already-connected client.
/// </summary>
public sealed class McpPluginServer
{
    private readonly Func<ILoggerFactory, IClientTransport>? _transportFactory;
    private readonly StdioClientTransportOptions? _stdio;
    private readonly int? _maxConcurrentCalls;
    private readonly TimeSpan _shutdownTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A server started as a child process and spoken to over its standard input and output.</summary>
    /// <param name="name">The plugin name, such as <c>files</c>.</param>
    /// <param name="stdio">
    /// The command, arguments, working directory and environment of the process (<see cref="StdioClientTransportOptions.ShutdownTimeout"/>
    /// is not used: see <see cref="ShutdownTimeout"/>).
    /// </param>
    /// <remarks>
    /// The process is started by this package rather than the SDK's <see cref="StdioClientTransport"/>, so that it is
    /// ended with its whole tree: with a launcher such as <c>npx</c>, the real server is the launcher's child, and on
    /// Linux the session also ends (and the next call starts a new one) when the launcher is killed.
    /// </remarks>
    public McpPluginServer(string name, StdioClientTransportOptions stdio)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(stdio);
        Name = name;
        _stdio = stdio;
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

    /// <summary>
    /// The SDK's client options used when connecting (client info, capabilities, protocol version, initialisation
    /// timeout). When they pin no <see cref="McpClientOptions.ProtocolVersion"/>, <c>2025-11-25</c> is asked for, which
    /// spares each connection the SDK's <c>server/discover</c> probe that servers of that revision refuse.
    /// </summary>
    public McpClientOptions? ClientOptions { get; init; }

    /// <summary>
    /// How long connecting may take (process start and the <c>initialize</c> handshake) before it fails, overriding
    /// <see cref="McpClientOptions.InitializationTimeout"/> (the SDK's default is 60 seconds). A host start waits this long
    /// at most for a server that never answers.
    /// </summary>
    public TimeSpan? InitializationTimeout { get; init; }

    /// <summary>
    /// At most this many calls are sent to the server at once; the others wait their turn (counting against their step's
    /// timeout). Set <c>1</c> for a server that is not safe for concurrent calls. <see langword="null"/> (the default): no limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? MaxConcurrentCalls
    {
        get => _maxConcurrentCalls;
        init
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxConcurrentCalls must be at least 1 (or null for no limit).");
            }

            _maxConcurrentCalls = value;
        }
    }

    /// <summary>
    /// How long a stdio server is given to exit after its input is closed before it (and the processes it started) is
    /// killed; also bounds closing any session. Default: 1 second.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan ShutdownTimeout
    {
        get => _shutdownTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _shutdownTimeout = value;
        }
    }

    /// <summary>
    /// Environment variables of a stdio server's process, added to (or, with a <see langword="null"/> value, removed from)
    /// the host's environment it inherits. Ignored for servers not started as a process.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>The working directory of a stdio server's process (default: the host's). Ignored for servers not started as a process.</summary>
    public string? WorkingDirectory { get; init; }

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

    /// <summary>
    /// A server started as <paramref name="command"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>,
    /// with <paramref name="environment"/> over the host's environment, spoken to over stdio.
    /// </summary>
    /// <param name="name">The plugin name.</param>
    /// <param name="command">The program, such as <c>npx</c> or <c>node</c>.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Its working directory; <see langword="null"/>: the host's.</param>
    /// <param name="environment">Variables to set (or, with a <see langword="null"/> value, remove) in its environment.</param>
    /// <returns>The server.</returns>
    public static McpPluginServer Stdio(string name, string command, IEnumerable<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(arguments);
        return new McpPluginServer(name, new StdioClientTransportOptions { Name = name, Command = command, Arguments = [.. arguments] })
        {
            WorkingDirectory = workingDirectory,
            Environment = environment,
        };
    }

    internal IClientTransport CreateTransport(ILoggerFactory loggerFactory)
    {
        if (_stdio is not null)
        {
            return new StdioProcessTransport(StdioOptions(_stdio), ShutdownTimeout, loggerFactory);
        }

        return _transportFactory?.Invoke(loggerFactory) ?? throw new InvalidOperationException($"The MCP server '{Name}' was given as a client and cannot be reconnected.");
    }

    /// <summary>The process options with <see cref="Environment"/> and <see cref="WorkingDirectory"/> applied over the given ones.</summary>
    private StdioClientTransportOptions StdioOptions(StdioClientTransportOptions given)
    {
        if (Environment is null && WorkingDirectory is null)
        {
            return given;
        }

        var environment = new Dictionary<string, string?>(given.EnvironmentVariables ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
        foreach (var (key, value) in Environment ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return new StdioClientTransportOptions
        {
            Name = given.Name,
            Command = given.Command,
            Arguments = given.Arguments,
            WorkingDirectory = WorkingDirectory ?? given.WorkingDirectory,
            EnvironmentVariables = environment,
            InheritEnvironmentVariables = given.InheritEnvironmentVariables,
            StandardErrorLines = given.StandardErrorLines,
        };
    }
}
