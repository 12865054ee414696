using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Orchestrator.Core.Plugins;
using Orchestrator.Mcp.Mapping;

namespace Orchestrator.Mcp.Connections;

/// <summary>
/// The session with one configured server: connects on first use, shares one client between all calls, and after a broken
/// transport drops the client so the next call connects again (servers given as a client are never reconnected).
/// </summary>
internal sealed class McpServerConnection : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Task<McpClient>? _connecting;
    private bool _disposed;

    public McpServerConnection(McpPluginServer server, ILoggerFactory loggerFactory, ILogger logger)
    {
        Server = server;
        _loggerFactory = loggerFactory;
        _logger = logger;
        if (server.Client is { } client)
        {
            _connecting = Task.FromResult(client);
        }
    }

    public McpPluginServer Server { get; }

    /// <summary>Whether a broken session is replaced by a new connection (not for a client the host gave).</summary>
    public bool CanReconnect => Server.Client is null;

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

    public async ValueTask<PluginDescriptor> DescribeAsync(CancellationToken cancellationToken)
    {
        var client = await GetClientAsync(cancellationToken).ConfigureAwait(false);
        IList<McpClientTool> tools;
        try
        {
            tools = await client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            await DropAsync(client).ConfigureAwait(false); // a later refresh connects again
            throw;
        }

        var actions = new List<PluginActionDescriptor>(tools.Count);
        foreach (var tool in tools)
        {
            actions.Add(new PluginActionDescriptor
            {
                Name = tool.Name,
                Description = tool.Description ?? tool.Title,
                Parameters = ToolParameters.Read(tool.ProtocolTool.InputSchema),
            });
        }

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
        await DisposeQuietlyAsync(client).ConfigureAwait(false);
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
            // A connection still being made is waited for, so its client is closed rather than leaked.
            await ((Task)connecting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (connecting.IsCompletedSuccessfully)
            {
                await DisposeQuietlyAsync(connecting.Result).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<McpClient> GetOrConnectAsync(CancellationToken cancellationToken)
    {
        Task<McpClient> connecting;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // The connection is shared, so it is not tied to the token of the call that happened to start it; the SDK's
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
        return await McpClient.CreateAsync(transport, Server.ClientOptions, _loggerFactory, CancellationToken.None).ConfigureAwait(false);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Closing a broken session may throw anything; the session is gone either way.")]
    private static async ValueTask DisposeQuietlyAsync(McpClient client)
    {
        try
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Nothing to do: the client was being thrown away because it had already failed.
        }
    }
}
