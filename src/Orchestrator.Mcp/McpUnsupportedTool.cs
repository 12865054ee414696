namespace Orchestrator.Mcp;

/// <summary>A tool a server lists that workflows cannot call, and why; it is left out of the server's actions.</summary>
/// <param name="Server">The plugin name of the server.</param>
/// <param name="Tool">The tool's name.</param>
/// <param name="Reason">Why it cannot be called, for people.</param>
public sealed record McpUnsupportedTool(string Server, string Tool, string Reason);
