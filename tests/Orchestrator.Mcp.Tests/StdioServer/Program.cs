// A minimal MCP server for the stdio tests: started by StdioClientTransport as `dotnet Orchestrator.Mcp.StdioTestServer.dll
// [arguments]`, it answers over stdin/stdout. Its tools show what reached the process: the arguments, the environment.
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "stdio-test-server", Version = "1.0.0" },
    ToolCollection =
    [
        McpServerTool.Create((string text) => "stdio: " + text, new McpServerToolCreateOptions { Name = "echo", Description = "Echoes text." }),
        McpServerTool.Create(() => string.Join(' ', args), new McpServerToolCreateOptions { Name = "arguments", Description = "The process's arguments." }),
        McpServerTool.Create(
            (string name) => Environment.GetEnvironmentVariable(name) ?? "",
            new McpServerToolCreateOptions { Name = "environment", Description = "An environment variable." }),
        McpServerTool.Create(() => Environment.Exit(3), new McpServerToolCreateOptions { Name = "exit", Description = "Ends the process." }),
    ],
};

await using var server = McpServer.Create(new StdioServerTransport("stdio-test-server"), options);
await server.RunAsync().ConfigureAwait(false);
