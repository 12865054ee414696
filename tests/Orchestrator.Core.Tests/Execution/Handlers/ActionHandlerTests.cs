using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class ActionHandlerTests
{
    private readonly ScriptedPluginExecutor _plugins = new();

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).Build();

    [Fact]
    public async Task ExecuteAsync_WholeValueReferences_KeepTheirJsonType()
    {
        _plugins.On("crm.save", """{ "ok": true }""");
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "count", "type": "number" }, { "name": "tags", "type": "array" }, { "name": "who", "type": "object" } ],
              "workflow_steps": [
                { "id": "save", "type": "action", "plugin": "crm", "action": "save",
                  "params": { "n": "{{input.count}}", "tags": "{{input.tags}}", "who": "{{input.who}}", "first": "{{input.tags[0]}}",
                              "text": "{{input.count}} items: {{input.tags}}", "fixed": 7 } }
              ]
            }
            """,
            """{ "count": 3, "tags": ["a", "b"], "who": { "name": "Ann" } }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var parameters = _plugins.CallsTo("crm.save").Single().Parameters;
        Assert.Equal(JsonValueKind.Number, parameters.GetProperty("n").ValueKind);
        Assert.Equal(3, parameters.GetProperty("n").GetInt32());
        Assert.Equal("""["a","b"]""", parameters.GetProperty("tags").Text());
        Assert.Equal("Ann", parameters.GetProperty("who").GetProperty("name").GetString());
        Assert.Equal("a", parameters.GetProperty("first").GetString());
        Assert.Equal(JsonValueKind.String, parameters.GetProperty("text").ValueKind);
        Assert.StartsWith("3 items: ", parameters.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("a", parameters.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(7, parameters.GetProperty("fixed").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_Call_PassesUserPluginActionAndExecution()
    {
        _plugins.On("crm.save", """{ "id": 42 }""");
        var result = await CreateSut().RunAsync(
            """[ { "id": "save", "type": "action", "plugin": "crm", "action": "save", "params": {} } ]""",
            executionId: "run-1");

        var call = _plugins.Calls.Single();
        Assert.Equal("u1", call.UserId);
        Assert.Equal("agent-1", call.AgentId);
        Assert.Equal("crm", call.Plugin);
        Assert.Equal("save", call.Action);
        Assert.Equal("save", call.StepId);
        Assert.Equal("run-1", call.ExecutionId);
        Assert.Equal(1, call.Attempt);
        var step = result.Steps["save"];
        Assert.Equal(StepStatus.Succeeded, step.Status);
        Assert.Equal("crm", step.Plugin);
        Assert.Equal("save", step.Action);
        Assert.Equal(42, step.Data.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_PluginFails_StepAndRunFailWithItsCode()
    {
        _plugins.On("crm.save", _ => PluginResult.Fail("Quota exhausted.", "QUOTA"));
        var result = await CreateSut().RunAsync("""[ { "id": "save", "type": "action", "plugin": "crm", "action": "save" } ]""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["save"].Status);
        Assert.Equal("QUOTA", result.Steps["save"].ErrorCode);
        Assert.Equal("Quota exhausted.", result.Steps["save"].Error);
        Assert.Equal("QUOTA", result.ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_PluginThrows_StepFailsWithPluginException()
    {
        _plugins.On("crm.save", PluginResult (_) => throw new InvalidOperationException("socket closed"));
        var result = await CreateSut().RunAsync("""[ { "id": "save", "type": "action", "plugin": "crm", "action": "save" } ]""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("PLUGIN_EXCEPTION", result.Steps["save"].ErrorCode);
        Assert.Contains("socket closed", result.Steps["save"].Error, StringComparison.Ordinal);
        Assert.Contains("crm.save", result.Steps["save"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_PluginThrowsAsynchronously_StepFailsWithPluginException()
    {
        _plugins.On("crm.save", async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("late failure");
        });
        var result = await CreateSut().RunAsync("""[ { "id": "save", "type": "action", "plugin": "crm", "action": "save" } ]""");

        Assert.Equal("PLUGIN_EXCEPTION", result.Steps["save"].ErrorCode);
    }

    // Without host middleware, cache, retry or timeout the plan runner calls the plugin itself instead of going through
    // the pipeline; with a host middleware it goes through the pipeline. Both must come to the same step.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteAsync_PluginThrowsAsynchronously_SameFailureWithOrWithoutHostMiddleware(bool withMiddleware)
    {
        _plugins.On("crm.save", async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("late failure");
        });
        var middleware = new CountingMiddleware();
        var builder = new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient());
        var sut = (withMiddleware ? builder.AddStepMiddleware(middleware) : builder).Build();

        var result = await sut.RunAsync("""[ { "id": "save", "type": "action", "plugin": "crm", "action": "save", "params": { "n": 1 } } ]""");

        var step = result.Steps["save"];
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal("PLUGIN_EXCEPTION", step.ErrorCode);
        Assert.Equal("crm.save threw InvalidOperationException: late failure", step.Error);
        Assert.Equal(1, step.Attempts);
        Assert.Equal(1, _plugins.CallsTo("crm.save").Single().Parameters.GetProperty("n").GetInt32());
        Assert.Equal(withMiddleware ? 1 : 0, middleware.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_HostMiddleware_SeesEveryActionStepAndItsResolvedParameters()
    {
        _plugins.On("crm.save", """{ "ok": true }""");
        var middleware = new CountingMiddleware();
        var sut = new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).AddStepMiddleware(middleware).Build();

        var result = await sut.RunAsync(
            """
            [
              { "id": "a", "type": "action", "plugin": "crm", "action": "save", "params": { "n": 1 } },
              { "id": "b", "type": "action", "plugin": "crm", "action": "save", "params": { "n": 2 }, "dependencies": ["a"] }
            ]
            """);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, middleware.Calls);
        Assert.Equal([1, 2], middleware.Parameters.Select(p => p.GetProperty("n").GetInt32()).Order());
    }

    [Fact]
    public async Task Regression_PluginValuesHoldingTemplates_AreNeverExpanded()
    {
        _plugins.On("mail.read", """{ "body": "{{input.secret}}", "nested": { "note": "see {{input.secret}}" } }""");
        _plugins.On("slack.post", """{ "ok": true }""");
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "secret", "type": "string" } ],
              "workflow_steps": [
                { "id": "read", "type": "action", "plugin": "mail", "action": "read" },
                { "id": "post", "type": "action", "plugin": "slack", "action": "post",
                  "params": { "whole": "{{read.data.body}}", "text": "Got: {{read.data.body}}", "obj": "{{read.data.nested}}" } }
              ]
            }
            """,
            """{ "secret": "hunter2" }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var parameters = _plugins.CallsTo("slack.post").Single().Parameters;
        Assert.Equal("{{input.secret}}", parameters.GetProperty("whole").GetString());
        Assert.Equal("Got: {{input.secret}}", parameters.GetProperty("text").GetString());
        Assert.Equal("see {{input.secret}}", parameters.GetProperty("obj").GetProperty("note").GetString());
        Assert.DoesNotContain("hunter2", parameters.GetRawText(), StringComparison.Ordinal);
    }

    private sealed class CountingMiddleware : IStepMiddleware
    {
        private int _calls;

        public int Calls => _calls;

        public System.Collections.Concurrent.ConcurrentQueue<JsonElement> Parameters { get; } = new();

        public async ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler next)
        {
            Interlocked.Increment(ref _calls);
            var outcome = await next(context);
            Parameters.Enqueue(context.Parameters.Clone());
            return outcome;
        }
    }
}
