using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Ports;
using Orchestrator.Mcp.Connections;

namespace Orchestrator.Mcp;

/// <summary>
/// Describes MCP servers as plugins: each configured server is a plugin, each of its tools an action, each tool's input
/// schema its parameters, so the planner reports an unknown tool or a missing required argument before a run. It also
/// holds the servers' sessions, which <see cref="McpPluginExecutor"/> calls tools through.
/// </summary>
/// <remarks>
/// Discovering tools is asynchronous and the planner asks synchronously, so the catalog must be initialised before
/// workflows are planned: create it with <see cref="CreateAsync"/>, or call <see cref="InitializeAsync"/> (the hosted
/// service <c>AddMcpServers</c> registers does so when the host starts). Asking an uninitialised catalog throws rather
/// than reporting every MCP plugin as unknown. Tools that change later are seen after <see cref="RefreshAsync"/>.
/// </remarks>
public sealed class McpPluginCatalog : IPluginCatalog, IPluginArgumentValidator, IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, McpServerConnection> _connections;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private volatile Dictionary<string, PluginDescriptor>? _plugins;
    private int _disposed;

    /// <summary>Creates a catalog of <paramref name="servers"/>, not yet connected (see <see cref="InitializeAsync"/>).</summary>
    /// <param name="servers">The servers; names must be unique.</param>
    /// <param name="loggerFactory">Logs connections and failed calls; also given to the MCP clients and transports.</param>
    /// <exception cref="ArgumentException">Two servers share a name.</exception>
    public McpPluginCatalog(IEnumerable<McpPluginServer> servers, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<McpPluginCatalog>();
        _connections = new Dictionary<string, McpServerConnection>(StringComparer.Ordinal);
        foreach (var server in servers)
        {
            ArgumentNullException.ThrowIfNull(server, nameof(servers));
            if (!_connections.TryAdd(server.Name, new McpServerConnection(server, loggerFactory, _logger)))
            {
                throw new ArgumentException($"The MCP server '{server.Name}' is configured twice.", nameof(servers));
            }
        }
    }

    /// <summary>
    /// Checks a step's arguments against the tool's input schema when the workflow is planned (JsonSchema.Net): a literal
    /// of the wrong type, outside an enum or of the wrong shape, and any name the schema forbids, are reported as
    /// <c>ORC133</c> before a run. Values computed at run time are checked before each call instead.
    /// </summary>
    /// <inheritdoc />
    public IReadOnlyList<PluginArgumentProblem> ValidateArguments(string pluginName, string actionName, IReadOnlyDictionary<string, System.Text.Json.JsonElement?> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return _connections.TryGetValue(pluginName, out var connection) && connection.FindTool(actionName)?.Arguments is { } schema
            ? schema.CheckPlanned(arguments)
            : [];
    }

    /// <summary>Whether the tools have been listed (after <see cref="InitializeAsync"/> succeeded).</summary>
    public bool IsInitialized => _plugins is not null;

    /// <summary>
    /// The tools the servers list that workflows cannot call (those that require task augmentation), as of the last
    /// listing. They are not among the servers' actions, so the planner reports a step calling one as an unknown action.
    /// </summary>
    public IReadOnlyList<McpUnsupportedTool> UnsupportedTools => [.. _connections.Values.SelectMany(c => c.UnsupportedTools)];

    /// <summary>The servers as plugins, with their tools as actions.</summary>
    /// <exception cref="InvalidOperationException">The catalog is not initialised.</exception>
    public IReadOnlyCollection<PluginDescriptor> Plugins => Loaded.Values;

    private Dictionary<string, PluginDescriptor> Loaded => _plugins ?? throw new InvalidOperationException(
        "The MCP plugin catalog is not initialised: await McpPluginCatalog.CreateAsync(...) or catalog.InitializeAsync() before "
        + "planning workflows (with AddMcpServers, the host does this when it starts).");

    /// <summary>Connects to <paramref name="servers"/> and lists their tools.</summary>
    /// <param name="servers">The servers; names must be unique.</param>
    /// <param name="loggerFactory">Logs connections and failed calls.</param>
    /// <param name="cancellationToken">Cancels the discovery.</param>
    /// <returns>The initialised catalog; dispose it to close the sessions it opened.</returns>
    /// <exception cref="McpPluginDiscoveryException">A server could not be reached or could not list its tools.</exception>
    public static async ValueTask<McpPluginCatalog> CreateAsync(IEnumerable<McpPluginServer> servers, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var catalog = new McpPluginCatalog(servers, loggerFactory);
        try
        {
            await catalog.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return catalog;
        }
        catch
        {
            await catalog.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects to every server and lists its tools, once; later calls return at once.</summary>
    /// <param name="cancellationToken">Cancels the discovery.</param>
    /// <returns>A task that completes when the catalog can be asked.</returns>
    /// <exception cref="McpPluginDiscoveryException">A server could not be reached or could not list its tools (the catalog stays uninitialised; calling again tries again).</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_plugins is not null)
        {
            return;
        }

        await LoadAsync(onlyIfEmpty: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists every server's tools again (for servers whose tools change), replacing what the catalog describes.</summary>
    /// <param name="cancellationToken">Cancels the discovery.</param>
    /// <returns>A task that completes when the new descriptions are in place.</returns>
    /// <exception cref="McpPluginDiscoveryException">A server could not list its tools (the previous descriptions stay).</exception>
    public ValueTask RefreshAsync(CancellationToken cancellationToken = default) => LoadAsync(onlyIfEmpty: false, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The catalog is not initialised.</exception>
    public bool TryGetPlugin(string name, [NotNullWhen(true)] out PluginDescriptor? plugin) => Loaded.TryGetValue(name, out plugin);

    /// <summary>
    /// Ends the calls in flight and refuses new ones, as cancelled (<see cref="McpPluginErrorCodes.Cancelled"/>); the
    /// sessions stay open until the catalog is disposed. The hosted service <c>AddMcpServers</c> registers calls this when
    /// the host stops.
    /// </summary>
    /// <returns>A task that completes when the calls have been told to stop.</returns>
    public async ValueTask StopCallsAsync()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the calls in flight as cancelled and closes the sessions the catalog opened (clients the host gave it are left
    /// open); a stdio server gets its <see cref="McpPluginServer.ShutdownTimeout"/> to exit before it is killed, with the
    /// processes it started. The sessions are closed concurrently.
    /// </summary>
    /// <returns>A task that completes when the sessions are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        // A container that registers the catalog under two service types disposes it twice: the second time does nothing.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_connections.Values.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _loading.Dispose();
    }

    /// <summary>Closes the sessions synchronously, for containers disposed with <c>Dispose</c>; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Cancelled when the host stops or the catalog is disposed: calls in flight end as cancelled.</summary>
    internal CancellationToken ShutdownToken => _shutdown.Token;

    internal bool TryGetConnection(string plugin, [NotNullWhen(true)] out McpServerConnection? connection) =>
        _connections.TryGetValue(plugin, out connection);

    private async ValueTask LoadAsync(bool onlyIfEmpty, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (onlyIfEmpty && _plugins is not null)
            {
                return;
            }

            // Servers are independent (often child processes): start them all at once rather than one after another.
            var describing = new List<(string Name, Task<PluginDescriptor> Task)>(_connections.Count);
            foreach (var (name, connection) in _connections)
            {
                describing.Add((name, connection.DescribeAsync(cancellationToken).AsTask()));
            }

            await Task.WhenAll(describing.Select(d => (Task)d.Task)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();

            var plugins = new Dictionary<string, PluginDescriptor>(StringComparer.Ordinal);
            var failures = new List<(string Server, Exception Error)>();
            foreach (var (name, task) in describing)
            {
                if (task.IsCompletedSuccessfully)
                {
                    plugins.Add(name, task.Result);
                }
                else
                {
                    var error = task.Exception?.InnerException ?? new OperationCanceledException($"Listing the tools of '{name}' was cancelled.");
                    Log.ServerDescribeFailed(_logger, name, error);
                    failures.Add((name, error));
                }
            }

            if (failures.Count > 0)
            {
                throw McpPluginDiscoveryException.For(failures);
            }

            _plugins = plugins;
        }
        finally
        {
            _loading.Release();
        }
    }
}
