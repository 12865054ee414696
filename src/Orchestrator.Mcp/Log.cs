using Microsoft.Extensions.Logging;

namespace Orchestrator.Mcp;

/// <summary>The package's log events (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Connected to the MCP server '{Server}': {ToolCount} tools.")]
    public static partial void ServerDescribed(ILogger logger, string server, int toolCount);

    [LoggerMessage(2, LogLevel.Error, "Could not connect to or list the tools of the MCP server '{Server}'.")]
    public static partial void ServerDescribeFailed(ILogger logger, string server, Exception exception);

    // The exception is not logged: its message is the server's error text, which can quote the call's arguments
    // (secrets, personal data). Its type says which kind of failure it was; the text stays in the step's result,
    // where the host decides who sees it.
    [LoggerMessage(3, LogLevel.Warning, "The MCP call {Server}.{Tool} failed ({ErrorCode}, retryable: {Retryable}) with {ExceptionType}; the server's error text is not logged.")]
    public static partial void CallFailed(ILogger logger, string server, string tool, string? errorCode, bool retryable, string exceptionType);

    [LoggerMessage(4, LogLevel.Information, "The connection to the MCP server '{Server}' broke; the next call reconnects.")]
    public static partial void ConnectionDropped(ILogger logger, string server);

    [LoggerMessage(6, LogLevel.Information, "The MCP tool {Server}.{Tool} requires task augmentation, which this client does not support: it is left out of the server's actions.")]
    public static partial void ToolUnsupported(ILogger logger, string server, string tool);

    [LoggerMessage(5, LogLevel.Debug, "The MCP tool {Server}.{Tool} returned an error result.")]
    public static partial void ToolReturnedError(ILogger logger, string server, string tool);
}
