using System.Text.Json;
using ModelContextProtocol.Client;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests;

public class McpPluginExecutorTests
{
    [Fact]
    public async Task ExecuteAsync_ToolWithStructuredContent_ReturnsItAsTheData()
    {
        await using var fixture = await McpFixture.StartAsync();

        var result = await fixture.Executor.ExecuteAsync(McpFixture.Request("search_emails", """{ "query": "is:unread", "limit": 5 }"""));

        Assert.True(result.Success, result.Error);
        Assert.Equal(JsonValueKind.Object, result.Data.ValueKind);
        Assert.Equal(2, result.Data.GetProperty("count").GetInt32());
        Assert.Equal("is:unread", result.Data.GetProperty("query").GetString());
        Assert.Equal("Invoice overdue", result.Data.GetProperty("subjects")[0].GetString());
    }

    [Fact]
    public async Task ExecuteAsync_ToolReturningPlainText_ReturnsAString()
    {
        await using var fixture = await McpFixture.StartAsync();

        var result = await fixture.Executor.ExecuteAsync(McpFixture.Request("echo", """{ "text": "hi" }"""));

        Assert.True(result.Success, result.Error);
        Assert.Equal("echo: hi", result.Data.GetString());
    }

    [Fact]
    public async Task ExecuteAsync_ToolReturningJsonText_ReturnsTheParsedJson()
    {
        await using var fixture = await McpFixture.StartAsync();

        var result = await fixture.Executor.ExecuteAsync(McpFixture.Request("stats"));

        Assert.True(result.Success, result.Error);
        Assert.Equal(3, result.Data.GetProperty("unread").GetInt32());
        Assert.Equal(2, result.Data.GetProperty("folders").GetArrayLength());
    }

    [Fact]
    public async Task ExecuteAsync_ToolReportsAnError_FailsWithItsMessageAndIsNotRetryable()
    {
        await using var fixture = await McpFixture.StartAsync();

        var result = await fixture.Executor.ExecuteAsync(McpFixture.Request("lock_mailbox", """{ "reason": "audit" }"""));

        Assert.False(result.Success);
        Assert.Equal(McpPluginErrorCodes.ToolError, result.ErrorCode);
        Assert.Contains("The mailbox is locked: audit", result.Error, StringComparison.Ordinal);
        Assert.False(result.Retryable);
    }

    [Fact]
    public async Task ExecuteAsync_ToolTheServerDoesNotHave_FailsAsInvalidParamsAndIsNotRetryable()
    {
        await using var fixture = await McpFixture.StartAsync();

        var result = await fixture.Executor.ExecuteAsync(McpFixture.Request("delete_everything"));

        Assert.False(result.Success);
        Assert.Equal(McpPluginErrorCodes.InvalidParams, result.ErrorCode);
        Assert.Contains("delete_everything", result.Error, StringComparison.Ordinal);
        Assert.False(result.Retryable);
    }

    [Fact]
    public async Task ExecuteAsync_ArgumentsAndStepIdentity_ReachTheServer()
    {
        await using var fixture = await McpFixture.StartAsync();

        await fixture.Executor.ExecuteAsync(McpFixture.Request("search_emails", """{ "query": "from:boss", "limit": 1 }"""));

        var call = Assert.Single(fixture.Mail.Calls);
        Assert.Equal("search_emails", call.Name);
        Assert.Equal("from:boss", call.Arguments!["query"].GetString());
        Assert.Equal(1, call.Arguments["limit"].GetInt32());
        Assert.Equal("run-1:step-1", call.Meta!["orchestrator.core/idempotencyKey"]!.GetValue<string>());
        Assert.Equal("step-1", call.Meta["orchestrator.core/stepId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_NoParameters_CallsTheToolWithoutArguments()
    {
        await using var fixture = await McpFixture.StartAsync();

        var result = await fixture.Executor.ExecuteAsync(McpFixture.Request("stats") with { Parameters = default });

        Assert.True(result.Success, result.Error);
        Assert.Null(Assert.Single(fixture.Mail.Calls).Arguments);
    }

    [Fact]
    public async Task ExecuteAsync_ParametersThatAreNoObject_FailWithoutCallingTheServer()
    {
        await using var fixture = await McpFixture.StartAsync();

        var result = await fixture.Executor.ExecuteAsync(McpFixture.Request("echo", """[ "hi" ]"""));

        Assert.Equal((false, McpPluginErrorCodes.InvalidArguments, false), (result.Success, result.ErrorCode, result.Retryable));
        Assert.Empty(fixture.Mail.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_PluginThatIsNoConfiguredServer_FailsAsUnknownServer()
    {
        await using var fixture = await McpFixture.StartAsync();

        var result = await fixture.Executor.ExecuteAsync(McpFixture.Request("send_message", plugin: "slack"));

        Assert.Equal((false, McpPluginErrorCodes.UnknownServer, false), (result.Success, result.ErrorCode, result.Retryable));
    }

    /// <summary>Waits until the catalog's session with <paramref name="plugin"/> has seen its server go away.</summary>
    private static async Task WaitForSessionEndAsync(McpPluginCatalog catalog, string plugin, Func<ValueTask> stopServer)
    {
        Assert.True(catalog.TryGetConnection(plugin, out var connection));
        var client = await connection.GetClientAsync(CancellationToken.None);
        await stopServer();
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ExecuteAsync_ServerGoneAndCannotBeReached_FailsAsARetryableTransportError()
    {
        var mail = new MailServer();
        var server = new InProcessMcpServer(mail.Options());
        var connects = 0;
        await using var catalog = await McpPluginCatalog.CreateAsync(
            [new McpPluginServer("mail", _ => ++connects == 1 ? server.CreateClientTransport() : throw new IOException("connection refused"))]);
        await WaitForSessionEndAsync(catalog, "mail", server.DisposeAsync); // the server process "crashes": both pipes close

        var result = await new McpPluginExecutor(catalog).ExecuteAsync(McpFixture.Request("echo", """{ "text": "hi" }"""));

        Assert.Equal((false, McpPluginErrorCodes.Transport, true), (result.Success, result.ErrorCode, result.Retryable));
        Assert.Contains("connection refused", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, connects);
    }

    [Fact]
    public async Task ExecuteAsync_ServerDiesDuringTheCall_FailsAsARetryableTransportError()
    {
        await using var fixture = await McpFixture.StartAsync();
        var call = fixture.Executor.ExecuteAsync(McpFixture.Request("slow")).AsTask();
        await fixture.Mail.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await fixture.Server.DisposeAsync();
        var result = await call.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((false, McpPluginErrorCodes.Transport, true), (result.Success, result.ErrorCode, result.Retryable));
    }

    [Fact]
    public async Task ExecuteAsync_SessionEndedSinceTheLastCall_ReconnectsBeforeCalling()
    {
        var servers = new List<InProcessMcpServer>();
        await using var catalog = await McpPluginCatalog.CreateAsync(
        [
            new McpPluginServer("mail", _ =>
            {
                var server = new InProcessMcpServer(new MailServer().Options());
                servers.Add(server);
                return server.CreateClientTransport();
            }),
        ]);
        await WaitForSessionEndAsync(catalog, "mail", servers[0].DisposeAsync);

        var result = await new McpPluginExecutor(catalog).ExecuteAsync(McpFixture.Request("echo", """{ "text": "2" }"""));

        Assert.True(result.Success, result.Error);
        Assert.Equal("echo: 2", result.Data.GetString());
        Assert.Equal(2, servers.Count);
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ExecuteAsync_HostsClientWhoseSessionEnded_FailsWithoutRetryOrReconnect()
    {
        var server = new InProcessMcpServer(new MailServer().Options());
        await using var client = await McpClient.CreateAsync(server.CreateClientTransport());
        await using var catalog = await McpPluginCatalog.CreateAsync([new McpPluginServer("mail", client)]);
        await WaitForSessionEndAsync(catalog, "mail", server.DisposeAsync);

        var result = await new McpPluginExecutor(catalog).ExecuteAsync(McpFixture.Request("echo", """{ "text": "hi" }"""));

        Assert.Equal((false, McpPluginErrorCodes.Transport, false), (result.Success, result.ErrorCode, result.Retryable));
    }

    [Fact]
    public async Task ExecuteAsync_ServerFailsInside_FailsAsARetryableInternalError()
    {
        await using var fixture = await McpFixture.StartAsync();

        var first = await fixture.Executor.ExecuteAsync(McpFixture.Request("flaky"));
        var second = await fixture.Executor.ExecuteAsync(McpFixture.Request("flaky"));

        Assert.Equal((false, McpPluginErrorCodes.InternalError, true), (first.Success, first.ErrorCode, first.Retryable));
        Assert.Contains("Busy, try again", first.Error, StringComparison.Ordinal);
        Assert.Equal("ok", second.Data.GetString());
    }

    [Fact]
    public async Task ExecuteAsync_CancelledWhileTheToolRuns_Throws()
    {
        await using var fixture = await McpFixture.StartAsync();
        using var cts = new CancellationTokenSource();

        var call = fixture.Executor.ExecuteAsync(McpFixture.Request("slow"), cts.Token).AsTask();
        await fixture.Mail.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
