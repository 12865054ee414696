using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class IdempotencyKeyTests
{
    [Fact]
    public async Task ExecuteAsync_StepRetried_SendsTheSameKeyOnEveryAttempt()
    {
        var plugins = new ScriptedPluginExecutor()
            .OnSequence("pay.charge", PluginResult.Fail("busy", "BUSY", retryable: true), PluginResult.Fail("busy", "BUSY", retryable: true), RuntimeTestKit.Ok());

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "charge", "type": "action", "plugin": "pay", "action": "charge", "retryPolicy": { "maxRetries": 3, "backoffMs": 0 } } ]
            """), RuntimeTestKit.Request(executionId: "exec-42"));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(3, plugins.Calls.Count);
        Assert.Single(plugins.Calls.Select(c => c.IdempotencyKey).Distinct());
        Assert.Contains("exec-42", plugins.Calls.First().IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_TwoStepsSameCall_GetDifferentKeysThatIncludeTheExecutionId()
    {
        var plugins = new ScriptedPluginExecutor().On("pay.charge", "{}");

        await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "first", "type": "action", "plugin": "pay", "action": "charge", "params": { "amount": 1 } },
              { "id": "second", "type": "action", "plugin": "pay", "action": "charge", "params": { "amount": 1 } } ]
            """), RuntimeTestKit.Request(executionId: "exec-42"));

        var keys = plugins.Calls.Select(c => c.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Distinct().Count());
        Assert.All(keys, k => Assert.Contains("exec-42", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_SameWorkflowTwoRuns_GetDifferentKeys()
    {
        var plugins = new ScriptedPluginExecutor().On("pay.charge", "{}");
        var sut = RuntimeTestKit.CreateSut(plugins);
        var workflow = Workflows.Load("""[ { "id": "charge", "type": "action", "plugin": "pay", "action": "charge" } ]""");

        await sut.ExecuteAsync(workflow, RuntimeTestKit.Request());
        await sut.ExecuteAsync(workflow, RuntimeTestKit.Request());

        Assert.Equal(2, plugins.Calls.Select(c => c.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public async Task ExecuteAsync_LoopIterations_GetDifferentKeysStableAcrossRetries()
    {
        var attempts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var plugins = new ScriptedPluginExecutor().On("pay.charge", r =>
            attempts.AddOrUpdate(r.Parameters.GetProperty("item").GetString()!, 1, (_, n) => n + 1) == 1
                ? PluginResult.Fail("busy", "BUSY", retryable: true)
                : RuntimeTestKit.Ok());

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "each", "type": "loop", "iterateOver": "{{input.items}}", "loopSteps": [
                { "id": "charge", "type": "action", "plugin": "pay", "action": "charge", "params": { "item": "{{current}}" },
                  "retryPolicy": { "maxRetries": 1, "backoffMs": 0 } } ] } ]
            """), RuntimeTestKit.Request("""{ "items": ["a", "b", "c"] }""", executionId: "exec-7"));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var byItem = plugins.Calls.GroupBy(c => c.Parameters.GetProperty("item").GetString()).ToList();
        Assert.Equal(3, byItem.Count);
        Assert.All(byItem, g => Assert.Single(g.Select(c => c.IdempotencyKey).Distinct()));
        Assert.Equal(3, byItem.Select(g => g.First().IdempotencyKey).Distinct().Count());
        Assert.All(plugins.Calls, c => Assert.Contains("exec-7", c.IdempotencyKey, StringComparison.Ordinal));
    }
}
