using System.Diagnostics;

namespace Orchestrator.Mcp.Tests.TestSupport;

/// <summary>
/// The reference MCP servers from the npm registry, version 2026.8.31, run with node over stdio. <c>.ci/run</c> installs
/// them and sets <c>ORCHESTRATOR_TEST_MCP_SERVERS</c> to the folder; without it, the first test that needs them installs
/// them with npm into a cache folder (once per test run, reused by later runs), or fails saying how to provide them.
/// </summary>
internal static class NpmServers
{
    public const string Version = "2026.8.31";
    public const string EnvironmentVariable = "ORCHESTRATOR_TEST_MCP_SERVERS";

    private static readonly string[] s_packages = ["server-everything", "server-memory", "server-filesystem"];
    private static readonly SemaphoreSlim s_installing = new(1, 1);
    private static string? s_folder;

    /// <summary>The folder holding <c>node_modules/@modelcontextprotocol/server-*</c>, installing them first if needed.</summary>
    public static async Task<string> FolderAsync()
    {
        if (s_folder is { } done)
        {
            return done;
        }

        await s_installing.WaitAsync();
        try
        {
            if (s_folder is { } installed)
            {
                return installed;
            }

            var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(given))
            {
                if (!Installed(given))
                {
                    throw new InvalidOperationException(
                        $"{EnvironmentVariable}={given}, but that folder does not hold node_modules/@modelcontextprotocol/{{{string.Join(',', s_packages)}}} "
                        + $"version {Version}: run `npm install --prefix {given} {Packages()}`, or unset the variable to let the tests install them.");
                }

                return s_folder = given;
            }

            var cache = Path.Combine(Path.GetTempPath(), "orchestrator-mcp-test-servers-" + Version);
            if (!Installed(cache))
            {
                await InstallAsync(cache);
            }

            return s_folder = cache;
        }
        finally
        {
            s_installing.Release();
        }
    }

    /// <summary>The entry point (<c>dist/index.js</c>) of <paramref name="package"/> (such as <c>server-everything</c>).</summary>
    public static async Task<string> EntryAsync(string package) =>
        Path.Combine(await FolderAsync(), "node_modules", "@modelcontextprotocol", package, "dist", "index.js");

    /// <summary>A stdio server running <paramref name="package"/> with node.</summary>
    public static async Task<McpPluginServer> NodeAsync(string name, string package, params string[] arguments) =>
        McpPluginServer.Stdio(name, "node", [await EntryAsync(package), .. arguments]);

    private static string Packages() => string.Join(' ', s_packages.Select(p => $"@modelcontextprotocol/{p}@{Version}"));

    private static bool Installed(string folder) => s_packages.All(p =>
        File.Exists(Path.Combine(folder, "node_modules", "@modelcontextprotocol", p, "dist", "index.js"))
        && File.ReadAllText(Path.Combine(folder, "node_modules", "@modelcontextprotocol", p, "package.json")).Contains($"\"version\": \"{Version}\"", StringComparison.Ordinal));

    private static async Task InstallAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["install", "--prefix", folder, "--no-audit", "--no-fund", "--no-save", .. s_packages.Select(p => $"@modelcontextprotocol/{p}@{Version}")])
        {
            start.ArgumentList.Add(argument);
        }

        string failure;
        try
        {
            using var npm = Process.Start(start)!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await npm.WaitForExitAsync(timeout.Token);
            if (npm.ExitCode == 0 && Installed(folder))
            {
                return;
            }

            failure = $"npm exited with {npm.ExitCode}: {await error}{await output}";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            failure = ex.Message;
        }

        throw new InvalidOperationException(
            $"The MCP test servers are not installed and installing them failed ({failure}). These tests need node and npm "
            + $"(apt-get install nodejs npm) and the npm registry: run `npm install --prefix <folder> {Packages()}` and set "
            + $"{EnvironmentVariable}=<folder>, as .ci/run does.");
    }
}
