using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Orchestrator.Core.Plugins;

namespace Orchestrator.Mcp.Mapping;

/// <summary>
/// Turns what an MCP tool call produced into the orchestrator's <see cref="PluginResult"/>: a tool's data, a tool's own
/// error, or a failure of the protocol or the transport, each with the retryability the docs promise.
/// </summary>
internal static class ToolResults
{
    private static readonly JsonElement s_null = ParseNull();

    /// <summary>
    /// A result with <c>isError: true</c> fails with the text of its content. Otherwise the data is the
    /// <c>structuredContent</c> when present, else the text content (several text blocks joined by a newline): parsed when
    /// it is a JSON object or array, a JSON string otherwise. Content with no text (images, resources) is kept as the
    /// list of content blocks; no content at all is <c>null</c>.
    /// </summary>
    public static PluginResult From(CallToolResult result, string plugin, string tool)
    {
        if (result.IsError == true)
        {
            var message = Text(result.Content);
            return PluginResult.Fail(
                string.IsNullOrWhiteSpace(message) ? $"The MCP tool {plugin}.{tool} reported an error." : message,
                McpPluginErrorCodes.ToolError);
        }

        if (result.StructuredContent is { ValueKind: not JsonValueKind.Undefined } structured)
        {
            return PluginResult.Ok(structured);
        }

        if (Text(result.Content) is { } text)
        {
            return PluginResult.Ok(ParseText(text));
        }

        return PluginResult.Ok(result.Content.Count == 0
            ? s_null
            : JsonSerializer.SerializeToElement(result.Content, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IList<ContentBlock>))));
    }

    /// <summary>
    /// Classifies an exception from connecting or calling. Transient causes (I/O, a closed transport, a timeout below the
    /// orchestrator, the server's internal error) are retryable; a request the server cannot accept (unknown tool,
    /// invalid arguments, no tools capability) is not, as sending it again would fail the same way.
    /// </summary>
    public static (PluginResult Result, bool ConnectionBroken) From(Exception exception, string plugin, string tool)
    {
        var call = $"{plugin}.{tool}";
        return exception switch
        {
            McpProtocolException protocol => (Protocol(protocol, call), false),
            IOException or ObjectDisposedException => (
                PluginResult.Fail($"The connection to the MCP server '{plugin}' failed during {call}: {exception.Message}", McpPluginErrorCodes.Transport, retryable: true),
                true),
            TimeoutException or OperationCanceledException => (
                PluginResult.Fail($"The MCP call {call} timed out: {exception.Message}", McpPluginErrorCodes.Timeout, retryable: true),
                false),
            _ => (PluginResult.Fail($"The MCP call {call} failed with {exception.GetType().Name}: {exception.Message}", McpPluginErrorCodes.Error), false),
        };
    }

    private static PluginResult Protocol(McpProtocolException exception, string call)
    {
        var message = $"The MCP server rejected {call} ({(int)exception.ErrorCode}): {exception.Message}";
        return exception.ErrorCode switch
        {
            McpErrorCode.InvalidParams => PluginResult.Fail(message, McpPluginErrorCodes.InvalidParams),
            McpErrorCode.MethodNotFound => PluginResult.Fail(message, McpPluginErrorCodes.MethodNotFound),
            McpErrorCode.InvalidRequest or McpErrorCode.ParseError => PluginResult.Fail(message, McpPluginErrorCodes.InvalidRequest),
            McpErrorCode.InternalError => PluginResult.Fail(message, McpPluginErrorCodes.InternalError, retryable: true),
            _ => PluginResult.Fail(message, McpPluginErrorCodes.ProtocolError),
        };
    }

    private static JsonElement ParseNull()
    {
        using var document = JsonDocument.Parse("null");
        return document.RootElement.Clone();
    }

    private static string? Text(IList<ContentBlock> content)
    {
        StringBuilder? builder = null;
        foreach (var block in content)
        {
            if (block is TextContentBlock text)
            {
                (builder ??= new StringBuilder()).Append(builder.Length == 0 ? "" : "\n").Append(text.Text);
            }
        }

        return builder?.ToString();
    }

    /// <summary>
    /// Only objects and arrays are parsed: a tool answering <c>42</c> or <c>007</c> as text most likely means the text,
    /// and guessing numbers out of identifiers would change the data's type under the workflow.
    /// </summary>
    private static JsonElement ParseText(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Text that only looks like JSON stays text.
            }
        }

        return JsonSerializer.SerializeToElement(text, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(string)));
    }
}
