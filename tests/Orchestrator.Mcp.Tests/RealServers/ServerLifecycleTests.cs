using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Client;
using Orchestrator.Core.Ports;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests.RealServers;

/// <summary>
/// Processes, limits and shutdown against the npm reference servers (server-memory, server-filesystem,
/// server-everything 2026.8.31) over stdio: started with node directly and through the npx launcher.
/// </summary>
public sealed class ServerLifecycleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orchestrator-mcp-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PluginRequest Request(string plugin, string tool, string arguments = "{}", string step = "step-1") =>
        McpFixture.Request(tool, arguments, plugin) with { StepId = step, IdempotencyKey = "run-1:" + step };

    [Fact]
    public async Task Memory_FiftyConcurrentWritesWithMaxConcurrentCallsOne_AllPersist()
    {
        var server = new McpPluginServer("memory", new StdioClientTransportOptions { Command = "node", Arguments = [await NpmServers.EntryAsync("server-memory")] })
        {
            MaxConcurrentCalls = 1,
            Environment = new Dictionary<string, string?> { ["MEMORY_FILE_PATH"] = Path.Combine(_folder, "memory.jsonl") },
        };
        await using var catalog = await McpPluginCatalog.CreateAsync([server]);
        var executor = new McpPluginExecutor(catalog);

        var writes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => executor.ExecuteAsync(Request(
            "memory", "create_entities", $$"""{ "entities": [ { "name": "e{{i}}", "entityType": "test", "observations": [ "o{{i}}" ] } ] }""", "w" + i)).AsTask()));
        var graph = await executor.ExecuteAsync(Request("memory", "read_graph"));

        Assert.All(writes, w => Assert.True(w.Success, w.Error));
        Assert.True(graph.Success, graph.Error);
        Assert.Equal(50, graph.Data.GetProperty("entities").GetArrayLength());
    }

    [Fact]
    public async Task Stdio_EnvironmentAndWorkingDirectory_ReachTheProcess()
    {
        await using var catalog = await McpPluginCatalog.CreateAsync(
        [
            McpPluginServer.Stdio("everything", "node", [await NpmServers.EntryAsync("server-everything"), "stdio"], _folder, new Dictionary<string, string?> { ["ORCHESTRATOR_TEST_MARK"] = "42" }),
            McpPluginServer.Stdio("files", "node", [await NpmServers.EntryAsync("server-filesystem"), "."], _folder),
        ]);
        var executor = new McpPluginExecutor(catalog);

        var environment = await executor.ExecuteAsync(Request("everything", "get-env"));
        var directories = await executor.ExecuteAsync(Request("files", "list_allowed_directories"));

        Assert.True(environment.Success, environment.Error);
        Assert.Equal("42", environment.Data.GetProperty("ORCHESTRATOR_TEST_MARK").GetString());
        Assert.True(directories.Success, directories.Error);
        Assert.Contains(Path.GetFileName(_folder), directories.Data.GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Npx_LauncherKilled_EndsTheServerAndTheSessionAndTheNextCallReconnects()
    {
        var folder = await NpmServers.FolderAsync();
        await using var catalog = await McpPluginCatalog.CreateAsync(
        [
            McpPluginServer.Stdio("memory", "npx", ["--no-install", "mcp-server-memory"], folder, new Dictionary<string, string?> { ["MEMORY_FILE_PATH"] = Path.Combine(_folder, "memory.jsonl") }),
        ]);
        Assert.True(catalog.TryGetConnection("memory", out var connection));
        var client = await connection.GetClientAsync(CancellationToken.None);
        var launcher = connection.Process!;
        var server = Assert.Single(launcher.Descendants, id => CommandLine(id).Contains("server-memory", StringComparison.Ordinal) && CommandLine(id).StartsWith("node", StringComparison.Ordinal));

        using (var npx = Process.GetProcessById(launcher.Id))
        {
            npx.Kill();
        }

        await client.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilGoneAsync(server);
        var result = await new McpPluginExecutor(catalog).ExecuteAsync(Request("memory", "read_graph"));

        Assert.True(result.Success, result.Error);
        Assert.NotSame(launcher, connection.Process);
    }

    [Fact]
    public async Task Npx_CatalogDisposed_EndsTheWholeProcessTree()
    {
        var folder = await NpmServers.FolderAsync();
        var catalog = await McpPluginCatalog.CreateAsync(
        [
            McpPluginServer.Stdio("memory", "npx", ["--no-install", "mcp-server-memory"], folder, new Dictionary<string, string?> { ["MEMORY_FILE_PATH"] = Path.Combine(_folder, "memory.jsonl") }),
        ]);
        Assert.True(catalog.TryGetConnection("memory", out var connection));
        int[] tree = [connection.Process!.Id, .. connection.Process.Descendants];
        Assert.True(tree.Length >= 2, "npx should have started the server as its child");

        await catalog.DisposeAsync();

        foreach (var id in tree)
        {
            await WaitUntilGoneAsync(id);
        }
    }

    [Fact]
    public async Task HostStopsDuringACall_EndsItAsCancelledNotRetryableAndClosesPromptly()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWorkflowOrchestrator().AddMcpServers(await NpmServers.NodeAsync("everything", "server-everything", "stdio"));
        var host = builder.Build();
        await host.StartAsync();
        var executor = host.Services.GetRequiredService<IPluginExecutor>();
        var catalog = host.Services.GetRequiredService<McpPluginCatalog>();
        Assert.True(catalog.TryGetConnection("everything", out var connection));
        var process = connection.Process!.Id;

        var call = executor.ExecuteAsync(Request("everything", "trigger-long-running-operation", """{ "duration": 30, "steps": 30 }""")).AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
        await host.StopAsync();
        var result = await call.WaitAsync(TimeSpan.FromSeconds(30));
        var disposing = Stopwatch.StartNew();
        host.Dispose();
        disposing.Stop();
        var after = await executor.ExecuteAsync(Request("everything", "echo", """{ "message": "hi" }"""));

        Assert.Equal((false, McpPluginErrorCodes.Cancelled, false), (result.Success, result.ErrorCode, result.Retryable));
        Assert.Equal((false, McpPluginErrorCodes.Cancelled, false), (after.Success, after.ErrorCode, after.Retryable));
        Assert.DoesNotContain("Orchestrator.Mcp", result.Error + after.Error, StringComparison.Ordinal);
        // Bounded by the server's ShutdownTimeout (1 s) before the kill. The SDK's transport waited its own 5 s for node,
        // which does not exit when its input closes: disposing took 5.2 s before (measured), 1.1 s now.
        Assert.True(disposing.Elapsed < TimeSpan.FromSeconds(4.5), $"disposing took {disposing.Elapsed}");
        await WaitUntilGoneAsync(process);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_InitializationTimeoutFromConfiguration_FailsTheHostStartNamingIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Servers:silent:Command"] = "node",
            ["Servers:silent:Arguments:0"] = "-e",
            ["Servers:silent:Arguments:1"] = "setInterval(() => {}, 1000)",
            ["Servers:silent:InitializationTimeout"] = "00:00:02",
        }).Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWorkflowOrchestrator().AddMcpServers(configuration.GetSection("Servers"));
        using var host = builder.Build();
        var starting = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<McpPluginDiscoveryException>(() => host.StartAsync());

        Assert.Equal(["silent"], error.Servers);
        Assert.True(starting.Elapsed < TimeSpan.FromSeconds(30), $"the host start took {starting.Elapsed}; the SDK's default would be 60 s");
    }

    private static string CommandLine(int id)
    {
        try
        {
            return File.ReadAllText($"/proc/{id}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task WaitUntilGoneAsync(int id)
    {
        for (var i = 0; i < 300 && Alive(id); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        Assert.False(Alive(id), $"the process {id} ({CommandLine(id)}) is still running");
    }

    private static bool Alive(int id)
    {
        // A zombie (exited, not yet reaped by its parent) counts as gone.
        try
        {
            var stat = File.ReadAllText($"/proc/{id}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0] != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
