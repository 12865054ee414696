using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Mcp.Connections;

/// <summary>
/// The process of a stdio server and, on Linux, the processes it started. A launcher such as <c>npx</c> or <c>uvx</c>
/// starts the real server as its child: killing only the launcher would leave that child running, holding the session's
/// pipes open (the session would never end). So the descendants are remembered once the session is up, and killed when
/// the launcher exits or the session is closed.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int StandardErrorTailLines = 20;

    private readonly Process _process;
    private readonly TimeSpan _shutdownTimeout;
    private readonly Queue<string> _standardErrorTail = new();
    private readonly Lock _lock = new();
    private List<(int Id, string StartTime)> _descendants = [];
    private int _disposed;

    public ServerProcess(Process process, TimeSpan shutdownTimeout, Action<string>? standardErrorLines)
    {
        _process = process;
        _shutdownTimeout = shutdownTimeout;
        process.EnableRaisingEvents = true;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            lock (_standardErrorTail)
            {
                _standardErrorTail.Enqueue(line);
                if (_standardErrorTail.Count > StandardErrorTailLines)
                {
                    _standardErrorTail.Dequeue();
                }
            }

            standardErrorLines?.Invoke(line);
        };
        process.Exited += (_, _) => KillDescendants();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public Stream StandardInput => _process.StandardInput.BaseStream;

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    /// <summary>The ids of the processes the server process started (Linux; empty elsewhere), as last remembered.</summary>
    public IReadOnlyList<int> Descendants
    {
        get
        {
            lock (_lock)
            {
                return [.. _descendants.Select(d => d.Id)];
            }
        }
    }

    /// <summary>Whether the process has exited, and why, for error messages: the exit code and the tail of its standard error.</summary>
    public string? ExitDescription()
    {
        if (!HasExited(_process))
        {
            return null;
        }

        string tail;
        lock (_standardErrorTail)
        {
            tail = _standardErrorTail.Count == 0 ? "" : "; its standard error ended with: " + string.Join(" | ", _standardErrorTail);
        }

        return string.Create(CultureInfo.InvariantCulture, $"the server process exited with code {_process.ExitCode}{tail}");
    }

    /// <summary>Remembers the processes the server process has started, so they can be ended with it (Linux only).</summary>
    public void RememberDescendants()
    {
        var found = ProcessTree.DescendantsOf(_process.Id);
        lock (_lock)
        {
            _descendants = found;
        }

        if (HasExited(_process))
        {
            KillDescendants(); // the launcher died while we looked: its children must not outlive it
        }
    }

    /// <summary>Closes the server's input, gives it <c>ShutdownTimeout</c> to exit, then kills it and its descendants.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The pipe is already broken: the process is gone or going.
        }

        if (!HasExited(_process))
        {
            using var timeout = new CancellationTokenSource(_shutdownTimeout);
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (!HasExited(_process))
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited in the meantime.
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not ours to kill any more (exited and reaped).
            }
        }

        KillDescendants();
        _process.Dispose();
    }

    private void KillDescendants()
    {
        List<(int Id, string StartTime)> descendants;
        lock (_lock)
        {
            descendants = _descendants;
        }

        foreach (var (id, startTime) in descendants)
        {
            ProcessTree.Kill(id, startTime);
        }
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
