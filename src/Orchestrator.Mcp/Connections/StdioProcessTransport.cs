using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Mcp.Connections;

/// <summary>
/// Starts a stdio server as a child process and speaks to it over its standard input and output. Used instead of the SDK's
/// <see cref="StdioClientTransport"/> so that the process is ours: its whole tree ends with the session (launchers such as
/// <c>npx</c>), the session ends when the launcher is killed, and closing takes at most the server's shutdown timeout.
/// </summary>
internal sealed class StdioProcessTransport(StdioClientTransportOptions options, TimeSpan shutdownTimeout, ILoggerFactory loggerFactory) : IClientTransport
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string Name => options.Name ?? options.Command;

    /// <summary>The process of the last connection, once started.</summary>
    public ServerProcess? Process { get; private set; }

    public async Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default)
    {
        // On Windows, launchers such as npx are batch files (npx.cmd) that only cmd.exe runs, as the SDK's transport knows.
        var viaShell = OperatingSystem.IsWindows()
            && !options.Command.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Path.GetFileName(options.Command), "cmd", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo
        {
            FileName = viaShell ? "cmd.exe" : options.Command,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardInputEncoding = s_utf8,
            StandardOutputEncoding = s_utf8,
            StandardErrorEncoding = s_utf8,
        };
        if (!string.IsNullOrEmpty(options.WorkingDirectory))
        {
            start.WorkingDirectory = options.WorkingDirectory;
        }

        if (viaShell)
        {
            start.ArgumentList.Add("/c");
            start.ArgumentList.Add(options.Command);
        }

        foreach (var argument in options.Arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        if (!options.InheritEnvironmentVariables)
        {
            start.Environment.Clear();
        }

        foreach (var (name, value) in options.EnvironmentVariables ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        System.Diagnostics.Process? process;
        try
        {
            process = System.Diagnostics.Process.Start(start);
        }
        catch (Win32Exception ex)
        {
            throw new IOException($"Could not start the MCP server '{Name}' ('{options.Command}'): {ex.Message}", ex);
        }

        if (process is null)
        {
            throw new IOException($"Could not start the MCP server '{Name}' ('{options.Command}').");
        }

        var server = new ServerProcess(process, shutdownTimeout, options.StandardErrorLines);
        try
        {
            var inner = await new StreamClientTransport(server.StandardInput, server.StandardOutput, loggerFactory).ConnectAsync(cancellationToken).ConfigureAwait(false);
            Process = server;
            return new Session(inner, server);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The stream session, closing the process with it; a write to an exited server says why it exited.</summary>
    private sealed class Session(ITransport inner, ServerProcess process) : ITransport
    {
        public string? SessionId => inner.SessionId;

        public ChannelReader<JsonRpcMessage> MessageReader => inner.MessageReader;

        public async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
        {
            try
            {
                await inner.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (process.ExitDescription() is { } exited)
            {
                throw new IOException($"Could not send to the MCP server: {exited}.", ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
