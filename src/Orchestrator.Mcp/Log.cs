using Microsoft.Extensions.Logging;

namespace Orchestrator.Mcp;

/// <summary>The package's log events (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Connected to the MCP server '{Server}': {ToolCount} tools.")]
    public static partial void ServerDescribed(ILogger logger, string server, int toolCount);

    [LoggerMessage(2, LogLevel.Error, "Could not connect to or list the tools of the MCP server '{Server}'.")]
    public static partial void ServerDescribeFailed(ILogger logger, string server, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "The MCP call {Server}.{Tool} failed ({ErrorCode}, retryable: {Retryable}).")]
    public static partial void CallFailed(ILogger logger, string server, string tool, string? errorCode, bool retryable, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "The connection to the MCP server '{Server}' broke; the next call reconnects.")]
    public static partial void ConnectionDropped(ILogger logger, string server);

    [LoggerMessage(5, LogLevel.Debug, "The MCP tool {Server}.{Tool} returned an error result.")]
    public static partial void ToolReturnedError(ILogger logger, string server, string tool);
}
