using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary>
/// A PostgreSQL server the tests start for themselves when <c>ORCHESTRATOR_TEST_POSTGRES</c> is not set and PostgreSQL
/// is installed (its <c>initdb</c>): initdb into a temporary folder, started on a free local port with trusted local
/// connections only, stopped and removed when the test process exits — as <c>.ci/run</c> does. PostgreSQL refuses to
/// run as root, so under root the server belongs to the <c>postgres</c> user (through <c>runuser</c>).
/// </summary>
internal sealed class ThrowAwayServer
{
    private readonly string _bin;
    private readonly string _folder;
    private readonly string[] _as;

    private ThrowAwayServer(string bin, string folder, string[] runAs, string connectionString)
    {
        _bin = bin;
        _folder = folder;
        _as = runAs;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Starts a server, or says why it cannot (no PostgreSQL installed, or a step that failed).</summary>
    public static ThrowAwayServer? TryStart(out string whyNot)
    {
        var bin = FindBin();
        if (bin is null)
        {
            whyNot = "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH)";
            return null;
        }

        var folder = Directory.CreateTempSubdirectory("orchestrator-pg-").FullName;
        string[] runAs = [];
        if (Environment.IsPrivilegedProcess)
        {
            if (Run("chown", ["postgres", folder], out var chownError) != 0)
            {
                whyNot = "running as root, and the folder could not be given to the postgres user: " + chownError;
                return null;
            }

            runAs = ["runuser", "-u", "postgres", "--"];
        }

        var port = FreePort();
        var data = Path.Combine(folder, "data");
        var options = $"-p {port.ToString(CultureInfo.InvariantCulture)} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off";
        var server = new ThrowAwayServer(bin, folder, runAs, $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=orchestrator;Database=orchestrator_tests");
        if (server.Tool("initdb", ["-D", data, "-U", "orchestrator", "--auth=trust", "-E", "UTF8"], out var error) != 0
            || server.Tool("pg_ctl", ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-o", options, "start"], out error) != 0
            || server.Tool("createdb", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "orchestrator", "orchestrator_tests"], out error) != 0)
        {
            server.Stop();
            whyNot = $"starting a throw-away server with {bin} failed: {error}";
            return null;
        }

        // Stopped and removed by a shell of its own when the test process exits: the test host may be ended before
        // a slow clean-up in-process would finish.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopInTheBackground();
        whyNot = string.Empty;
        return server;
    }

    private void Stop()
    {
        _ = Tool("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "stop"], out _);
        _ = Run("rm", ["-rf", _folder], out _);
    }

    private void StopInTheBackground()
    {
        var start = new ProcessStartInfo("sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("\"$@\" -D \"$0/data\" -m immediate stop >/dev/null 2>&1; rm -rf \"$0\"");
        start.ArgumentList.Add(_folder);
        foreach (var part in _as)
        {
            start.ArgumentList.Add(part);
        }

        start.ArgumentList.Add(Path.Combine(_bin, "pg_ctl"));
        using var process = Process.Start(start);
    }

    private int Tool(string name, string[] arguments, out string error) =>
        _as.Length == 0
            ? Run(Path.Combine(_bin, name), arguments, out error)
            : Run(_as[0], [.. _as.Skip(1), Path.Combine(_bin, name), .. arguments], out error);

    private static int Run(string file, string[] arguments, out string error)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                error = $"{Path.GetFileName(file)} did not finish within 2 minutes";
                return -1;
            }

            error = (error + output.GetAwaiter().GetResult()).Trim();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            error = ex.Message;
            return -1;
        }
    }

    /// <summary>The newest /usr/lib/postgresql/N/bin (Debian's layout), else the folder of an initdb on PATH.</summary>
    private static string? FindBin()
    {
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(d => File.Exists(Path.Combine(d.Bin, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = new FileInfo(Path.Combine(folder, "initdb"));
            if (initdb.Exists)
            {
                var target = initdb.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb.FullName;
                return Path.GetDirectoryName(target);
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
