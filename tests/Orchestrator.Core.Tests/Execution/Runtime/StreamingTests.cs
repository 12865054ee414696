using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class StreamingTests
{
    private const string Workflow = """
        { "input_schema": [ { "name": "who", "type": "string", "required": true } ],
          "workflow_steps": [
            { "id": "fetch", "type": "action", "plugin": "crm", "action": "fetch", "params": { "who": "{{input.who}}" } },
            { "id": "maybe", "type": "action", "plugin": "crm", "action": "fetch", "executeIf": "false" },
            { "id": "soft", "type": "action", "plugin": "crm", "action": "bad", "continueOnError": true },
            { "id": "decide", "type": "llm_decision", "prompt": "Pick one for {{fetch.data.who}}", "options": ["a", "b"] },
            { "id": "post", "type": "action", "plugin": "crm", "action": "fetch", "params": { "choice": "{{decide.data.decision}}" } } ],
          "output_schema": [ { "name": "choice", "type": "string", "source": "decide.data.decision" } ] }
        """;

    private static WorkflowOrchestrator CreateSut() => RuntimeTestKit.CreateSut(
        new ScriptedPluginExecutor().On("crm.fetch", r => PluginResult.Ok(r.Parameters)).On("crm.bad", _ => PluginResult.Fail("no", "NO")),
        new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
        llm: new ScriptedLlmClient().When("Pick one", "b", 12, 1));

    [Fact]
    public async Task ExecuteStreamingAsync_EveryStep_StartsAndFinishesThenTheRunFinishes()
    {
        var plan = Workflows.PlanOrFail(Workflow);

        var events = new List<ExecutionEvent>();
        await foreach (var e in CreateSut().ExecuteStreamingAsync(plan, RuntimeTestKit.Request("""{ "who": "ada" }""", "exec-s")))
        {
            events.Add(e);
        }

        Assert.All(events, e => Assert.Equal("exec-s", e.ExecutionId));
        Assert.Single(events.OfType<ExecutionFinishedEvent>());
        Assert.IsType<ExecutionFinishedEvent>(events[^1]);
        var finished = events.OfType<StepFinishedEvent>().Select(e => e.Result.StepId).Order(StringComparer.Ordinal);
        Assert.Equal(["decide", "fetch", "maybe", "post", "soft"], finished);
        var started = events.OfType<StepStartedEvent>().Select(e => e.StepId).Order(StringComparer.Ordinal);
        Assert.Equal(["decide", "fetch", "post", "soft"], started);
        foreach (var id in started)
        {
            var start = events.FindIndex(e => e is StepStartedEvent s && s.StepId == id);
            var end = events.FindIndex(e => e is StepFinishedEvent f && f.Result.StepId == id);
            Assert.True(start < end, $"{id} finished before it started");
        }

        Assert.Equal(StepStatus.Skipped, events.OfType<StepFinishedEvent>().Single(e => e.Result.StepId == "maybe").Result.Status);
    }

    [Fact]
    public async Task ExecuteStreamingAsync_FinalEvent_CarriesTheResultExecuteAsyncReports()
    {
        var plan = Workflows.PlanOrFail(Workflow);
        var request = RuntimeTestKit.Request("""{ "who": "ada" }""", "exec-same");

        var direct = await CreateSut().ExecuteAsync(plan, request);
        ExecutionEvent? last = null;
        await foreach (var e in CreateSut().ExecuteStreamingAsync(plan, request))
        {
            last = e;
        }

        var streamed = Assert.IsType<ExecutionFinishedEvent>(last).Result;
        Assert.Equal(ExecutionStatus.PartiallySucceeded, direct.Status);
        Assert.Equal(JsonSerializer.Serialize(direct), JsonSerializer.Serialize(streamed));
    }

    [Fact]
    public async Task ExecuteStreamingAsync_InvalidInputs_EndsWithTheRejectedResult()
    {
        var plan = Workflows.PlanOrFail(Workflow);

        var events = new List<ExecutionEvent>();
        await foreach (var e in CreateSut().ExecuteStreamingAsync(plan, RuntimeTestKit.Request()))
        {
            events.Add(e);
        }

        var finished = Assert.IsType<ExecutionFinishedEvent>(Assert.Single(events));
        Assert.Equal(ExecutionStatus.Rejected, finished.Result.Status);
        Assert.Equal("INVALID_INPUT", finished.Result.ErrorCode);
    }

    [Fact]
    public async Task ExecuteStreamingAsync_ConsumerStopsReading_CancelsTheRunSoNoFurtherStepsStart()
    {
        var cancelled = new TaskCompletionSource();
        var plugins = new ScriptedPluginExecutor()
            .On("p.hang", async (_, ct) =>
            {
                try
                {
                    await new TaskCompletionSource().Task.WaitAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    cancelled.TrySetResult();
                    throw;
                }

                return RuntimeTestKit.Ok();
            })
            .On("p.send", "{}");
        var plan = Workflows.PlanOrFail("""
            [ { "id": "wait", "type": "action", "plugin": "p", "action": "hang" },
              { "id": "send", "type": "action", "plugin": "p", "action": "send", "dependencies": ["wait"] } ]
            """);

        await foreach (var e in RuntimeTestKit.CreateSut(plugins).ExecuteStreamingAsync(plan, RuntimeTestKit.Request()))
        {
            if (e is StepStartedEvent { StepId: "wait" })
            {
                break;
            }
        }

        await cancelled.Task.Within();
        Assert.Empty(plugins.CallsTo("p.send"));
    }

    [Fact]
    public async Task ExecuteStreamingAsync_RunFails_ReportsEveryStepFinishedOnceIncludingThoseCancelledBeforeStarting()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}").On("p.bad", _ => PluginResult.Fail("no", "NO"));
        var plan = Workflows.PlanOrFail("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "bad" },
              { "id": "b", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["a"] },
              { "id": "c", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["b"] } ]
            """);

        var events = new List<ExecutionEvent>();
        await foreach (var e in RuntimeTestKit.CreateSut(plugins).ExecuteStreamingAsync(plan, RuntimeTestKit.Request()))
        {
            events.Add(e);
        }

        var finished = events.OfType<StepFinishedEvent>().ToList();
        Assert.Equal(["a", "b", "c"], finished.Select(e => e.Result.StepId).Order(StringComparer.Ordinal));
        Assert.Equal(StepStatus.Failed, finished.Single(e => e.Result.StepId == "a").Result.Status);
        Assert.All(finished.Where(e => e.Result.StepId != "a"), e => Assert.Equal(StepStatus.Cancelled, e.Result.Status));
        Assert.Equal(ExecutionStatus.Failed, Assert.IsType<ExecutionFinishedEvent>(events[^1]).Result.Status);
    }

    [Fact]
    public async Task ExecuteStreamingAsync_LoopItems_ReportTheirIterationKey()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var plan = Workflows.PlanOrFail("""
            [ { "id": "each", "type": "loop", "iterateOver": "{{input.items}}", "loopSteps": [
                { "id": "work", "type": "action", "plugin": "p", "action": "ok" } ] } ]
            """);

        var events = new List<ExecutionEvent>();
        await foreach (var e in RuntimeTestKit.CreateSut(plugins).ExecuteStreamingAsync(plan, RuntimeTestKit.Request("""{ "items": [1, 2] }""")))
        {
            events.Add(e);
        }

        var started = events.OfType<StepStartedEvent>().Select(e => e.IterationKey + e.StepId).Order(StringComparer.Ordinal);
        Assert.Equal(["each", "each[0]/work", "each[1]/work"], started);
        Assert.Equal(3, events.OfType<StepFinishedEvent>().Count());
    }
}
