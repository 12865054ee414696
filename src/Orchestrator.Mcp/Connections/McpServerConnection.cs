using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Orchestrator.Core.Ports;
using Orchestrator.Mcp.Mapping;

namespace Orchestrator.Mcp.Connections;

/// <summary>
/// The session with one configured server: connects on first use, shares one client between all calls (at most
/// <see cref="McpPluginServer.MaxConcurrentCalls"/> at a time), and after a broken transport drops the client so the next
/// call connects again (servers given as a client are never reconnected).
/// </summary>
internal sealed class McpServerConnection : IAsyncDisposable
{
    /// <summary>
    /// The protocol revision asked for when the host does not pin one. Without a pinned revision the SDK first probes
    /// with <c>server/discover</c>, which every server of an earlier revision refuses (a warning on each connect that the
    /// user cannot act on, and a round trip); the servers of today speak this one.
    /// </summary>
    internal const string DefaultProtocolVersion = "2025-11-25";

    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim? _calls;
    private Task<McpClient>? _connecting;
    private volatile Dictionary<string, ToolInfo> _tools = new(StringComparer.Ordinal);
    private bool _disposed;

    public McpServerConnection(McpPluginServer server, ILoggerFactory loggerFactory, ILogger logger)
    {
        Server = server;
        _loggerFactory = loggerFactory;
        _logger = logger;
        if (server.MaxConcurrentCalls is { } max)
        {
            _calls = new SemaphoreSlim(max, max);
        }

        if (server.Client is { } client)
        {
            _connecting = Task.FromResult(client);
        }
    }

    public McpPluginServer Server { get; }

    /// <summary>Whether a broken session is replaced by a new connection (not for a client the host gave).</summary>
    public bool CanReconnect => Server.Client is null;

    /// <summary>The process of the last stdio session started, if the server is one.</summary>
    public ServerProcess? Process { get; private set; }

    /// <summary>The tools that cannot be called from a workflow (as of the last listing).</summary>
    public IReadOnlyList<McpUnsupportedTool> UnsupportedTools { get; private set; } = [];

    /// <summary>What the last listing said about <paramref name="tool"/>; <see langword="null"/> when it was not listed.</summary>
    public ToolInfo? FindTool(string tool) => _tools.TryGetValue(tool, out var info) ? info : null;

    public async ValueTask<McpClient> GetClientAsync(CancellationToken cancellationToken)
    {
        var client = await GetOrConnectAsync(cancellationToken).ConfigureAwait(false);
        if (client.Completion.IsCompleted && CanReconnect)
        {
            // The session ended since the last call (the server exited, the stream closed): connect again now rather
            // than fail this call and let only its retry find a working session.
            await DropAsync(client).ConfigureAwait(false);
            client = await GetOrConnectAsync(cancellationToken).ConfigureAwait(false);
        }

        return client;
    }

    /// <summary>Waits for a call slot when the server allows only so many concurrent calls; dispose the result to free it.</summary>
    public async ValueTask<CallSlot> EnterCallAsync(CancellationToken cancellationToken)
    {
        if (_calls is null)
        {
            return default;
        }

        await _calls.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new CallSlot(_calls);
    }

    public async ValueTask<PluginDescriptor> DescribeAsync(CancellationToken cancellationToken)
    {
        var client = await GetClientAsync(cancellationToken).ConfigureAwait(false);
        List<JsonObject> tools;
        try
        {
            tools = await ListToolsAsync(client, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            await DropAsync(client).ConfigureAwait(false); // a later refresh connects again
            throw;
        }

        var actions = new List<PluginActionDescriptor>(tools.Count);
        var infos = new Dictionary<string, ToolInfo>(StringComparer.Ordinal);
        var unsupported = new List<McpUnsupportedTool>();
        foreach (var tool in tools)
        {
            if (tool["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name))
            {
                continue;
            }

            var schema = tool["inputSchema"] is JsonObject input ? JsonSerializer.SerializeToElement(input, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonNode))) : default;
            var info = new ToolInfo(ToolArguments.TryCreate(schema, Server.Name, name), String(tool["execution"]?["taskSupport"]));
            infos[name] = info;
            if (info.RequiresTask)
            {
                // The SDK (ModelContextProtocol.Core 2.4.0) has no client API for task-augmented calls, and such a tool
                // refuses every plain call: left out of the actions, so the planner reports a step calling it (ORC109).
                unsupported.Add(new McpUnsupportedTool(Server.Name, name, "It requires task augmentation (execution.taskSupport: \"required\"), which this client does not support."));
                Log.ToolUnsupported(_logger, Server.Name, name);
                continue;
            }

            actions.Add(new PluginActionDescriptor
            {
                Name = name,
                Description = String(tool["description"]) ?? String(tool["title"]),
                Parameters = ToolParameters.Read(schema),
            });
        }

        _tools = infos;
        UnsupportedTools = unsupported;
        Log.ServerDescribed(_logger, Server.Name, actions.Count);
        return new PluginDescriptor
        {
            Name = Server.Name,
            Description = Server.Description ?? client.ServerInfo?.Description ?? client.ServerInfo?.Title ?? client.ServerInfo?.Name,
            Actions = [.. actions],
        };
    }

    /// <summary>Forgets <paramref name="client"/> after its transport broke, so the next call connects a new one.</summary>
    public async ValueTask DropAsync(McpClient client)
    {
        if (Server.Client is not null)
        {
            return; // the host's client: not ours to replace or dispose
        }

        lock (_lock)
        {
            if (_connecting is not { IsCompletedSuccessfully: true } current || !ReferenceEquals(current.Result, client))
            {
                return; // another call already dropped it
            }

            _connecting = null;
        }

        Log.ConnectionDropped(_logger, Server.Name);
        await DisposeQuietlyAsync(client, Server.ShutdownTimeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Task<McpClient>? connecting;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connecting = _connecting;
            _connecting = null;
        }

        if (Server.Client is null && connecting is not null)
        {
            // A connection still being made is waited for (no longer than the shutdown timeout), so its client is closed
            // rather than leaked.
            await ((Task)connecting).WaitAsync(Server.ShutdownTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (connecting.IsCompletedSuccessfully)
            {
                await DisposeQuietlyAsync(connecting.Result, Server.ShutdownTimeout).ConfigureAwait(false);
            }
        }
    }

    private static string? String(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// Lists the tools as JSON, page by page. Read raw rather than through <c>ListToolsAsync</c> because the SDK's
    /// <c>Tool</c> type (2.4.0) has no <c>execution</c> member: whether a tool requires a task would be lost.
    /// </summary>
    private static async ValueTask<List<JsonObject>> ListToolsAsync(McpClient client, CancellationToken cancellationToken)
    {
        var tools = new List<JsonObject>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await client.SendRequestAsync(
                new JsonRpcRequest { Method = RequestMethods.ToolsList, Params = cursor is null ? new JsonObject() : new JsonObject { ["cursor"] = cursor } },
                cancellationToken).ConfigureAwait(false);
            if (response.Result is JsonObject result && result["tools"] is JsonArray page)
            {
                foreach (var tool in page)
                {
                    if (tool is JsonObject item)
                    {
                        tools.Add(item);
                    }
                }

                cursor = String(result["nextCursor"]);
            }
            else
            {
                cursor = null;
            }
        }
        while (cursor is not null && ++pages < 1000);

        return tools;
    }

    private async ValueTask<McpClient> GetOrConnectAsync(CancellationToken cancellationToken)
    {
        Task<McpClient> connecting;
        lock (_lock)
        {
            if (_disposed)
            {
                throw new McpCatalogClosedException();
            }

            // The connection is shared, so it is not tied to the token of the call that happened to start it; the
            // initialisation timeout bounds it, and each caller stops waiting when its own token fires. Task.Run keeps
            // the synchronous start (a process launch, for stdio) out of the lock.
            connecting = _connecting ??= Task.Run(ConnectAsync);
        }

        try
        {
            return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (connecting.IsFaulted || connecting.IsCanceled)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_connecting, connecting))
                {
                    _connecting = null; // a failed connection is tried again by the next call
                }
            }

            throw;
        }
    }

    private async Task<McpClient> ConnectAsync()
    {
        var transport = Server.CreateTransport(_loggerFactory);
        var client = await McpClient.CreateAsync(transport, ClientOptions(Server), _loggerFactory, CancellationToken.None).ConfigureAwait(false);

        // The server has answered, so a launcher (npx, uvx) has started it by now: remember the tree to end it with the session.
        Process = (transport as StdioProcessTransport)?.Process;
        Process?.RememberDescendants();
        return client;
    }

    /// <summary>The SDK's options for a new session: the host's, with our defaults where it set none.</summary>
    private static McpClientOptions ClientOptions(McpPluginServer server)
    {
        var given = server.ClientOptions;
        var options = new McpClientOptions
        {
            ClientInfo = given?.ClientInfo,
            Capabilities = given?.Capabilities,
            InitializeMeta = given?.InitializeMeta,
            ProtocolVersion = given?.ProtocolVersion ?? DefaultProtocolVersion,
        };
        if (given is not null)
        {
            options.InitializationTimeout = given.InitializationTimeout;
            options.TimeProvider = given.TimeProvider;
            options.DiscoverProbeTimeout = given.DiscoverProbeTimeout;
            options.Handlers = given.Handlers;
        }

        if (server.InitializationTimeout is { } timeout)
        {
            options.InitializationTimeout = timeout;
        }

        return options;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Closing a session may throw anything; the session is gone either way.")]
    private static async ValueTask DisposeQuietlyAsync(McpClient client, TimeSpan shutdownTimeout)
    {
        try
        {
            // Bounded: a stdio server gets its shutdown timeout to exit before it is killed; this is the backstop.
            await client.DisposeAsync().AsTask().WaitAsync(shutdownTimeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Nothing to do: the client was being thrown away.
        }
    }

    /// <summary>A held call slot of a server with <see cref="McpPluginServer.MaxConcurrentCalls"/>.</summary>
    internal readonly struct CallSlot(SemaphoreSlim? calls) : IDisposable
    {
        public void Dispose() => calls?.Release();
    }
}
