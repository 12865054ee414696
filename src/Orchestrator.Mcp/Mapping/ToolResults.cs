using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Orchestrator.Core.Ports;

namespace Orchestrator.Mcp.Mapping;

/// <summary>
/// Turns what an MCP tool call produced into the orchestrator's <see cref="PluginResult"/>: a tool's data, a tool's own
/// error, or a failure of the protocol or the transport, each with the retryability the docs promise.
/// </summary>
internal static class ToolResults
{
    private static readonly JsonElement s_null = ParseNull();

    /// <summary>Maps a typed result (as the SDK's <c>CallToolAsync</c> returns it); see <see cref="From(JsonElement, string, string)"/>.</summary>
    public static PluginResult From(CallToolResult result, string plugin, string tool) =>
        From(JsonSerializer.SerializeToElement(result, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolResult))), plugin, tool);

    /// <summary>
    /// Maps a <c>tools/call</c> result as the server wrote it. A result with <c>isError: true</c> fails with the text of
    /// its content. Otherwise, when every content block is text (the common case), the data is the
    /// <c>structuredContent</c> when present, else the text (several blocks joined by a newline): parsed when it is a JSON
    /// object or array, a JSON string otherwise; no content at all is <c>null</c>. As soon as one block is not text
    /// (an image, audio, an embedded resource, a resource link), nothing is dropped: the data is an object
    /// <c>{ "text": ..., "structuredContent": ..., "content": [ ...every block as the protocol writes it... ] }</c>.
    /// </summary>
    public static PluginResult From(JsonElement result, string plugin, string tool)
    {
        var content = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("content", out var blocks) && blocks.ValueKind == JsonValueKind.Array
            ? blocks
            : default;
        if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True)
        {
            var message = Text(content, out _);
            return PluginResult.Fail(
                string.IsNullOrWhiteSpace(message) ? $"The MCP tool {plugin}.{tool} reported an error." : message,
                McpPluginErrorCodes.ToolError);
        }

        var structured = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("structuredContent", out var s) && s.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)
            ? s
            : default;
        var text = Text(content, out var onlyText);
        if (onlyText)
        {
            if (structured.ValueKind != JsonValueKind.Undefined)
            {
                return PluginResult.Ok(structured);
            }

            return PluginResult.Ok(text is null ? s_null : ParseText(text));
        }

        return PluginResult.Ok(Envelope(text, structured, content));
    }

    /// <summary>The data of a result with non-text content: every block kept, the text still at hand.</summary>
    private static JsonElement Envelope(string? text, JsonElement structured, JsonElement content)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (text is null)
            {
                writer.WriteNull("text");
            }
            else
            {
                writer.WriteString("text", text);
            }

            if (structured.ValueKind != JsonValueKind.Undefined)
            {
                writer.WritePropertyName("structuredContent");
                structured.WriteTo(writer);
            }

            writer.WritePropertyName("content");
            content.WriteTo(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
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
            // Another call closed the broken session under this one. The exception's own text names an internal type.
            ObjectDisposedException => (
                PluginResult.Fail($"The connection to the MCP server '{plugin}' was closed during {call}.", McpPluginErrorCodes.Transport, retryable: true),
                true),
            IOException => (
                PluginResult.Fail($"The connection to the MCP server '{plugin}' failed during {call}: {exception.Message}", McpPluginErrorCodes.Transport, retryable: true),
                true),
            TimeoutException or OperationCanceledException => (
                PluginResult.Fail($"The MCP call {call} timed out: {exception.Message}", McpPluginErrorCodes.Timeout, retryable: true),
                false),
            _ => (PluginResult.Fail($"The MCP call {call} failed: {exception.Message}", McpPluginErrorCodes.Error), false),
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

    /// <summary>The text blocks joined by a newline (<see langword="null"/> when none); <paramref name="onlyText"/>: no other kind of block.</summary>
    private static string? Text(JsonElement content, out bool onlyText)
    {
        onlyText = true;
        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        StringBuilder? builder = null;
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object
                && block.TryGetProperty("type", out var type) && type.ValueEquals("text")
                && block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                (builder ??= new StringBuilder()).Append(builder.Length == 0 ? "" : "\n").Append(text.GetString());
            }
            else
            {
                onlyText = false;
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
