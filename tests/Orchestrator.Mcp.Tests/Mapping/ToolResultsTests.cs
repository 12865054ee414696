using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Orchestrator.Mcp.Mapping;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests.Mapping;

public class ToolResultsTests
{
    [Fact]
    public void From_StructuredContentAndText_PrefersTheStructuredContent()
    {
        var result = ToolResults.From(
            new CallToolResult { StructuredContent = TestSupport.Json.Parse("""{ "n": 1 }"""), Content = [new TextContentBlock { Text = """{ "n": 2 }""" }] }, "p", "t");

        Assert.Equal(1, result.Data.GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("42")]
    [InlineData("007")]
    [InlineData("true")]
    [InlineData("{ not json")]
    [InlineData("Done.")]
    public void From_TextThatIsNoJsonObjectOrArray_StaysAString(string text)
    {
        var result = ToolResults.From(new CallToolResult { Content = [new TextContentBlock { Text = text }] }, "p", "t");

        Assert.Equal(text, result.Data.GetString());
    }

    [Fact]
    public void From_SeveralTextBlocks_AreJoinedByNewlines()
    {
        var result = ToolResults.From(new CallToolResult { Content = [new TextContentBlock { Text = "a" }, new TextContentBlock { Text = "b" }] }, "p", "t");

        Assert.Equal("a\nb", result.Data.GetString());
    }

    [Fact]
    public void From_NoContent_IsNull()
    {
        var result = ToolResults.From(new CallToolResult(), "p", "t");

        Assert.True(result.Success);
        Assert.Equal(JsonValueKind.Null, result.Data.ValueKind);
    }

    [Fact]
    public void From_ImageContentOnly_KeepsTheContentBlocksWithNoText()
    {
        var result = ToolResults.From(new CallToolResult { Content = [ImageContentBlock.FromBytes(new byte[] { 1, 2, 3 }, "image/png")] }, "p", "t");

        Assert.Equal(JsonValueKind.Null, result.Data.GetProperty("text").ValueKind);
        var block = Assert.Single(result.Data.GetProperty("content").EnumerateArray());
        Assert.Equal("image", block.GetProperty("type").GetString());
        Assert.Equal("image/png", block.GetProperty("mimeType").GetString());
    }

    [Fact]
    public void From_ErrorResultWithoutText_FailsNamingTheTool()
    {
        var result = ToolResults.From(new CallToolResult { IsError = true }, "mail", "send");

        Assert.Equal((false, McpPluginErrorCodes.ToolError, false), (result.Success, result.ErrorCode, result.Retryable));
        Assert.Contains("mail.send", result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<Exception, string, bool, bool> Exceptions() => new()
    {
        { new McpProtocolException("Unknown tool", McpErrorCode.InvalidParams), McpPluginErrorCodes.InvalidParams, false, false },
        { new McpProtocolException("no tools", McpErrorCode.MethodNotFound), McpPluginErrorCodes.MethodNotFound, false, false },
        { new McpProtocolException("bad", McpErrorCode.ParseError), McpPluginErrorCodes.InvalidRequest, false, false },
        { new McpProtocolException("boom", McpErrorCode.InternalError), McpPluginErrorCodes.InternalError, true, false },
        { new McpProtocolException("gone", McpErrorCode.ResourceNotFound), McpPluginErrorCodes.ProtocolError, false, false },
        { new IOException("pipe closed"), McpPluginErrorCodes.Transport, true, true },
        { new ClientTransportClosedException(new ClientCompletionDetails()), McpPluginErrorCodes.Transport, true, true },
        { new ObjectDisposedException("McpClient"), McpPluginErrorCodes.Transport, true, true },
        { new TimeoutException("slow"), McpPluginErrorCodes.Timeout, true, false },
        { new TaskCanceledException("request timed out"), McpPluginErrorCodes.Timeout, true, false },
        { new McpException("client-side"), McpPluginErrorCodes.Error, false, false },
        { new InvalidOperationException("bug"), McpPluginErrorCodes.Error, false, false },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void From_Exception_IsClassifiedWithItsRetryability(Exception exception, string code, bool retryable, bool connectionBroken)
    {
        var (result, broken) = ToolResults.From(exception, "mail", "send");

        Assert.Equal((false, code, retryable, connectionBroken), (result.Success, result.ErrorCode, result.Retryable, broken));
        if (exception is not ObjectDisposedException)
        {
            Assert.Contains(exception.Message, result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void From_ObjectDisposed_DoesNotNameTheDisposedType()
    {
        var (result, _) = ToolResults.From(new ObjectDisposedException("Orchestrator.Mcp.Connections.McpServerConnection"), "mail", "send");

        Assert.DoesNotContain("McpServerConnection", result.Error, StringComparison.Ordinal);
        Assert.Contains("closed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void From_TextAndResourceLink_KeepsTheTextAndEveryBlock()
    {
        var result = ToolResults.From(
            new CallToolResult { Content = [new TextContentBlock { Text = "see" }, new ResourceLinkBlock { Uri = "file:///a.txt", Name = "a" }] }, "p", "t");

        Assert.Equal("see", result.Data.GetProperty("text").GetString());
        Assert.Equal("resource_link", result.Data.GetProperty("content")[1].GetProperty("type").GetString());
        Assert.Equal("file:///a.txt", result.Data.GetProperty("content")[1].GetProperty("uri").GetString());
    }
}
