using System.IO.Pipelines;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Mcp.Tests.TestSupport;

/// <summary>
/// A real MCP server (the SDK's own) running in the test process, spoken to over a pair of in-memory pipes: the same
/// JSON-RPC session a stdio server has, without a child process.
/// </summary>
internal sealed class InProcessMcpServer : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly McpServer _server;
    private readonly Task _running;
    private int _clientTransports;

    public InProcessMcpServer(McpServerOptions options)
    {
        _server = McpServer.Create(new StreamServerTransport(_toServer.Reader.AsStream(), _toClient.Writer.AsStream()), options);
        _running = _server.RunAsync(_stop.Token);
    }

    /// <summary>The one client transport to this server (a pipe has two ends: a second transport would be an error).</summary>
    public IClientTransport CreateClientTransport()
    {
        if (Interlocked.Increment(ref _clientTransports) > 1)
        {
            throw new InvalidOperationException("This in-process server serves one client.");
        }

        return new StreamClientTransport(_toServer.Writer.AsStream(), _toClient.Reader.AsStream());
    }

    /// <summary>Stops the server and closes both pipes, as a crashed server process would.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _server.DisposeAsync();
        await _toClient.Writer.CompleteAsync();
        await _toServer.Reader.CompleteAsync();
        _stop.Dispose();
    }
}
