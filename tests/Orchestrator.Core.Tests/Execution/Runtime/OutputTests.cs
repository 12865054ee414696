using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class OutputTests
{
    [Fact]
    public async Task ExecuteAsync_OutputSchema_FillsEachFieldFromItsSourceWithOrWithoutBraces()
    {
        var plugins = new ScriptedPluginExecutor().On("crm.fetch", """{ "customer": { "name": "Ada", "orders": [ { "id": 7 } ] } }""");

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            { "workflow_steps": [ { "id": "fetch", "type": "action", "plugin": "crm", "action": "fetch" } ],
              "output_schema": [
                { "name": "name", "type": "string", "source": "fetch.data.customer.name" },
                { "name": "first_order", "type": "number", "source": "{{fetch.data.customer.orders[0].id}}" },
                { "name": "ok", "type": "boolean", "source": "fetch.metadata.success" } ] }
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("Ada", result.Output.GetProperty("name").GetString());
        Assert.Equal(7, result.Output.GetProperty("first_order").GetInt32());
        Assert.True(result.Output.GetProperty("ok").GetBoolean());
        Assert.Equal(["name", "first_order", "ok"], result.Output.EnumerateObject().Select(p => p.Name));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task ExecuteAsync_OutputSourceMissing_WritesNullAndWarns()
    {
        var plugins = new ScriptedPluginExecutor().On("crm.fetch", """{ "customer": { "name": "Ada" } }""");

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            { "workflow_steps": [ { "id": "fetch", "type": "action", "plugin": "crm", "action": "fetch" } ],
              "output_schema": [
                { "name": "name", "type": "string", "source": "fetch.data.customer.name" },
                { "name": "email", "type": "string", "source": "fetch.data.customer.email" } ] }
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(JsonValueKind.Null, result.Output.GetProperty("email").ValueKind);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("'email'", warning, StringComparison.Ordinal);
        Assert.Contains("fetch.data.customer.email", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_NoOutputSchema_OutputsEveryStepThatRanByIdWithItsData()
    {
        var plugins = new ScriptedPluginExecutor()
            .On("p.one", """{ "n": 1 }""")
            .On("p.two", """[1, 2]""")
            .On("p.bad", _ => PluginResult.Fail("no", "NO"));

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "one", "type": "action", "plugin": "p", "action": "one" },
              { "id": "two", "type": "action", "plugin": "p", "action": "two" },
              { "id": "skipped", "type": "action", "plugin": "p", "action": "one", "executeIf": "false" },
              { "id": "fell_back", "type": "action", "plugin": "p", "action": "bad", "fallback": { "n": 0 } } ]
            """), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
        Assert.Equal(["one", "two", "fell_back"], result.Output.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, result.Output.GetProperty("one").GetProperty("n").GetInt32());
        Assert.Equal(2, result.Output.GetProperty("two").GetArrayLength());
        Assert.Equal(0, result.Output.GetProperty("fell_back").GetProperty("n").GetInt32());
    }
}
