using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class InputValidationTests
{
    private const string Workflow = """
        { "input_schema": [
            { "name": "channel", "type": "string", "required": true },
            { "name": "query", "type": "string", "required": false, "default": "is:unread" },
            { "name": "limit", "type": "number", "required": false } ],
          "workflow_steps": [
            { "id": "echo", "type": "action", "plugin": "p", "action": "echo",
              "params": { "channel": "{{input.channel}}", "query": "{{input.query}}", "limit": "{{input.limit}}" } } ] }
        """;

    private static ScriptedPluginExecutor Echo() => new ScriptedPluginExecutor().On("p.echo", r => PluginResult.Ok(r.Parameters));

    [Fact]
    public async Task ExecuteAsync_RequiredInputMissing_RejectsWithInvalidInputBeforeAnyCall()
    {
        var plugins = Echo();

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load(Workflow), RuntimeTestKit.Request("""{ "query": "x" }"""));

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal("INVALID_INPUT", result.ErrorCode);
        Assert.Contains("channel", result.Error, StringComparison.Ordinal);
        Assert.Empty(plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_OptionalInputMissing_AppliesItsDefault()
    {
        var plugins = Echo();

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load(Workflow), RuntimeTestKit.Request("""{ "channel": "#inbox" }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var sent = plugins.Calls.Single().Parameters;
        Assert.Equal("#inbox", sent.GetProperty("channel").GetString());
        Assert.Equal("is:unread", sent.GetProperty("query").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_InputGiven_OverridesTheDefault()
    {
        var plugins = Echo();

        await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load(Workflow), RuntimeTestKit.Request("""{ "channel": "#inbox", "query": "from:boss" }"""));

        Assert.Equal("from:boss", plugins.Calls.Single().Parameters.GetProperty("query").GetString());
    }

    [Theory]
    [InlineData("""{ "channel": 42 }""", "channel")]
    [InlineData("""{ "channel": "#inbox", "limit": "ten" }""", "limit")]
    [InlineData("""{ "channel": ["#a"] }""", "channel")]
    public async Task ExecuteAsync_InputOfTheWrongType_RejectsWithInvalidInputNamingIt(string inputs, string name)
    {
        var plugins = Echo();

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load(Workflow), RuntimeTestKit.Request(inputs));

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal("INVALID_INPUT", result.ErrorCode);
        Assert.Contains($"'{name}'", result.Error, StringComparison.Ordinal);
        Assert.Empty(plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_SeveralProblems_ReportsThemAllAtOnce()
    {
        var result = await RuntimeTestKit.CreateSut(Echo()).ExecuteAsync(Workflows.Load(Workflow), RuntimeTestKit.Request("""{ "limit": "ten" }"""));

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Contains("'channel'", result.Error, StringComparison.Ordinal);
        Assert.Contains("'limit'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_InputsNotAnObject_Rejects()
    {
        var result = await RuntimeTestKit.CreateSut(Echo()).ExecuteAsync(Workflows.Load(Workflow), RuntimeTestKit.Request("""[1, 2]"""));

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal("INVALID_INPUT", result.ErrorCode);
    }
}
