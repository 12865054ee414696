using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ModelContextProtocol.Client;
using Orchestrator.Core.Ports;
using Orchestrator.Mcp;

namespace Orchestrator.Core.Benchmarks.Mcp;

/// <summary>
/// The adapter's per-call overhead over the raw SDK: one tool call through <see cref="McpPluginExecutor.ExecuteAsync"/>
/// (argument check against the tool's schema, raw request, result mapped to the step's data) against
/// <see cref="McpClient.CallToolAsync(string, IReadOnlyDictionary{string, object?}?, IProgress{ModelContextProtocol.ProgressNotificationValue}?, ModelContextProtocol.RequestOptions?, CancellationToken)"/>
/// on the same session of the same server process: <c>@modelcontextprotocol/server-everything</c> 2026.8.31 run with
/// node over stdio. Set <c>ORCHESTRATOR_TEST_MCP_SERVERS</c> to the folder the servers are installed in (see .ci/run).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 20)]
[MedianColumn]
public class McpCallBenchmarks
{
    private static readonly Dictionary<string, object?> s_echoArguments = new() { ["message"] = "hello" };
    private static readonly Dictionary<string, object?> s_sumArguments = new() { ["a"] = 2, ["b"] = 3 };

    private McpClient _client = null!;
    private McpPluginCatalog _catalog = null!;
    private McpPluginExecutor _executor = null!;
    private PluginRequest _echo = null!;
    private PluginRequest _sum = null!;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_MCP_SERVERS")
            ?? throw new InvalidOperationException("Set ORCHESTRATOR_TEST_MCP_SERVERS to the folder of the npm MCP servers (see .ci/run).");
        var everything = Path.Combine(folder, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
        _client = McpClient.CreateAsync(new StdioClientTransport(new() { Command = "node", Arguments = [everything, "stdio"] }), new McpClientOptions { ProtocolVersion = "2025-11-25" })
            .GetAwaiter().GetResult();

        // The same session for both: the catalog gets the SDK's client as a host-given one.
        _catalog = McpPluginCatalog.CreateAsync([new McpPluginServer("everything", _client)]).AsTask().GetAwaiter().GetResult();
        _executor = new McpPluginExecutor(_catalog);
        _echo = Request("echo", """{ "message": "hello" }""");
        _sum = Request("get-sum", """{ "a": 2, "b": 3 }""");

        // Check each contender once, so a broken one cannot post a fast number.
        Check(AdapterEcho().GetAwaiter().GetResult(), "Echo: hello");
        Check(AdapterSum().GetAwaiter().GetResult(), "5");
        if (SdkEcho().GetAwaiter().GetResult().IsError == true || SdkSum().GetAwaiter().GetResult().IsError == true)
        {
            throw new InvalidOperationException("The SDK's call failed.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _catalog.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The raw SDK: <c>echo</c> (text result).</summary>
    [Benchmark(Baseline = true)]
    public async Task<ModelContextProtocol.Protocol.CallToolResult> SdkEcho() => await _client.CallToolAsync("echo", s_echoArguments);

    /// <summary>The adapter: <c>echo</c>, arguments checked against its schema, text mapped to the step's data.</summary>
    [Benchmark]
    public async Task<PluginResult> AdapterEcho() => await _executor.ExecuteAsync(_echo);

    /// <summary>The raw SDK: <c>get-sum</c> (two numbers).</summary>
    [Benchmark]
    public async Task<ModelContextProtocol.Protocol.CallToolResult> SdkSum() => await _client.CallToolAsync("get-sum", s_sumArguments);

    /// <summary>The adapter: <c>get-sum</c>.</summary>
    [Benchmark]
    public async Task<PluginResult> AdapterSum() => await _executor.ExecuteAsync(_sum);

    private static PluginRequest Request(string tool, string arguments) => new()
    {
        ExecutionId = "bench",
        UserId = "u",
        StepId = "s",
        Plugin = "everything",
        Action = tool,
        Parameters = JsonDocument.Parse(arguments).RootElement.Clone(),
        IdempotencyKey = "bench:s",
    };

    private static void Check(PluginResult result, string expected)
    {
        if (!result.Success || !result.Data.ToString().Contains(expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The adapter's call failed: {result.Error ?? result.Data.ToString()}");
        }
    }
}
