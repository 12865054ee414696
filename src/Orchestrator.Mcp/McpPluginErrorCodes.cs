namespace Orchestrator.Mcp;

/// <summary>
/// The <c>ErrorCode</c>s of failed MCP tool calls, as steps report them. Whether each is retryable is part of its meaning:
/// see the remarks of each and <c>docs/adapters.md</c>.
/// </summary>
public static class McpPluginErrorCodes
{
    /// <summary>The tool ran and reported an error (<c>isError: true</c>). Not retryable: the protocol has no way to say otherwise.</summary>
    public const string ToolError = "MCP_TOOL_ERROR";

    /// <summary>The server rejected the call's arguments or does not know the tool (JSON-RPC -32602). Not retryable.</summary>
    public const string InvalidParams = "MCP_INVALID_PARAMS";

    /// <summary>The server does not offer tools at all (JSON-RPC -32601). Not retryable.</summary>
    public const string MethodNotFound = "MCP_METHOD_NOT_FOUND";

    /// <summary>The server could not read the request (JSON-RPC -32600 or -32700). Not retryable.</summary>
    public const string InvalidRequest = "MCP_INVALID_REQUEST";

    /// <summary>The server failed inside (JSON-RPC -32603). Retryable: the same call may succeed later.</summary>
    public const string InternalError = "MCP_INTERNAL_ERROR";

    /// <summary>Another protocol error the server sent. Not retryable.</summary>
    public const string ProtocolError = "MCP_PROTOCOL_ERROR";

    /// <summary>The call timed out below the orchestrator (the SDK's or the transport's own timeout). Retryable.</summary>
    public const string Timeout = "MCP_TIMEOUT";

    /// <summary>
    /// The connection failed or broke (process exited, stream closed, I/O error). Retryable, as the next call connects
    /// again; not retryable when the server was given as a client whose session has ended (it is never reconnected).
    /// </summary>
    public const string Transport = "MCP_TRANSPORT";

    /// <summary>The step names a plugin that is no configured MCP server. Not retryable.</summary>
    public const string UnknownServer = "MCP_UNKNOWN_SERVER";

    /// <summary>
    /// The step's <c>params</c> did not resolve to a JSON object, which is what tool arguments are, or do not match the
    /// tool's input schema (the message gives the schema's words and where). Checked before the call; not retryable.
    /// </summary>
    public const string InvalidArguments = "MCP_INVALID_ARGUMENTS";

    /// <summary>
    /// The tool requires task augmentation (<c>execution.taskSupport: "required"</c>), which this client does not support:
    /// it is not called. Not retryable. The catalog leaves such tools out of the server's actions, so the planner reports
    /// a step calling one (<c>ORC109</c>); see <see cref="McpPluginCatalog.UnsupportedTools"/>.
    /// </summary>
    public const string TaskRequired = "MCP_TASK_REQUIRED";

    /// <summary>
    /// The call was ended because the host is shutting down (the catalog was stopped or disposed). Not retryable. The
    /// same code as the orchestrator's own cancelled steps.
    /// </summary>
    public const string Cancelled = "CANCELLED";

    /// <summary>Any other exception from the client. Not retryable.</summary>
    public const string Error = "MCP_ERROR";
}
