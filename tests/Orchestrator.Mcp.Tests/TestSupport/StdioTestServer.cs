namespace Orchestrator.Mcp.Tests.TestSupport;

/// <summary>Where the stdio test server (StdioServer/, copied beside the tests) is and how to start it.</summary>
internal static class StdioTestServer
{
    /// <summary>The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH for test runs).</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Orchestrator.Mcp.StdioTestServer.dll");
}
