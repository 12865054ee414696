using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class LoopHandlerTests
{
    private readonly ScriptedPluginExecutor _plugins = new();
    private readonly ScriptedLlmClient _llm = new();

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, _llm).Build();

    private static string Loop(string extra, string inner = """{ "id": "fetch", "type": "action", "plugin": "t", "action": "fetch", "params": { "item": "{{current}}", "name": "{{current.name}}", "i": "{{index}}", "label": "#{{index}} {{current.name}}" } }""") =>
        $$$"""
        {
          "input_schema": [ { "name": "xs", "type": "any" } ],
          "workflow_steps": [ { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}" {{{extra}}}, "loopSteps": [ {{{inner}}} ] } ]
        }
        """;

    private const string ThreeItems = """{ "xs": [ { "name": "a" }, { "name": "b" }, { "name": "c" } ] }""";

    private static PluginResult Echo(PluginRequest request) => PluginResult.Ok(Json.Parse($$"""{ "got": {{request.Parameters.GetProperty("name").GetRawText()}} }"""));

    [Fact]
    public async Task Loop_Sequential_RunsEachItemInOrderWithCurrentAndIndex()
    {
        _plugins.On("t.fetch", Echo);
        var result = await CreateSut().RunAsync(Loop(""), ThreeItems);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var calls = _plugins.Calls.ToArray();
        Assert.Equal(["a", "b", "c"], calls.Select(c => c.Parameters.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Number, calls[1].Parameters.GetProperty("i").ValueKind);
        Assert.Equal(1, calls[1].Parameters.GetProperty("i").GetInt32());
        Assert.Equal("""{"name":"b"}""", calls[1].Parameters.GetProperty("item").Text());
        Assert.Equal("#2 c", calls[2].Parameters.GetProperty("label").GetString());
        var data = result.Steps["each"].Data;
        Assert.Equal(3, data.GetArrayLength());
        Assert.Equal(["a", "b", "c"], data.EnumerateArray().Select(o => o.GetProperty("fetch").GetProperty("data").GetProperty("got").GetString()));
        Assert.Equal(3, result.Steps["each"].ItemCount);
        Assert.Distinct(calls.Select(c => c.IdempotencyKey));
    }

    [Fact]
    public async Task Loop_Sequential_NeverRunsTwoItemsAtOnce()
    {
        var inFlight = 0;
        var most = 0;
        _plugins.On("t.fetch", async (request, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            return Echo(request);
        });
        var result = await CreateSut().RunAsync(Loop(""), ThreeItems);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(1, most);
    }

    [Fact]
    public async Task Loop_ParallelWithMaxConcurrency_StartsNoMoreThanTheLimit()
    {
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        using var started = new SemaphoreSlim(0);
        _plugins.On("t.fetch", async (request, _) =>
        {
            var name = request.Parameters.GetProperty("name").GetString()!;
            var gate = gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            started.Release();
            await gate.Task;
            return Echo(request);
        });
        var run = CreateSut().RunAsync(Loop(""", "parallel": true, "maxConcurrency": 2"""), """{ "xs": [ { "name": "a" }, { "name": "b" }, { "name": "c" }, { "name": "d" } ] }""").AsTask();

        Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        Assert.False(await started.WaitAsync(TimeSpan.Zero));
        Assert.Equal(2, _plugins.Calls.Count);

        gates["b"].SetResult();
        Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        Assert.Equal(3, _plugins.Calls.Count);
        foreach (var name in new[] { "a", "c", "d" })
        {
            gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        var result = await run.WaitAsync(HandlerRuns.Guard);
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["a", "b", "c", "d"], result.Steps["each"].Data.EnumerateArray().Select(o => o.GetProperty("fetch").GetProperty("data").GetProperty("got").GetString()));
    }

    [Fact]
    public async Task Loop_ParallelItemsFinishingInReverse_OutputsStayInItemOrder()
    {
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        using var started = new SemaphoreSlim(0);
        _plugins.On("t.fetch", async (request, _) =>
        {
            var name = request.Parameters.GetProperty("name").GetString()!;
            var gate = gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            started.Release();
            await gate.Task;
            return Echo(request);
        });
        var run = CreateSut().RunAsync(Loop(""", "parallel": true"""), ThreeItems).AsTask();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        }

        gates["c"].SetResult();
        gates["b"].SetResult();
        gates["a"].SetResult();
        var result = await run.WaitAsync(HandlerRuns.Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["a", "b", "c"], result.Steps["each"].Data.EnumerateArray().Select(o => o.GetProperty("fetch").GetProperty("data").GetProperty("got").GetString()));
    }

    [Fact]
    public async Task Loop_MoreItemsThanMaxIterations_FailsWithMaxIterationsExceeded()
    {
        _plugins.On("t.fetch", Echo);
        var result = await CreateSut().RunAsync(Loop(""", "maxIterations": 2"""), ThreeItems);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("MAX_ITERATIONS_EXCEEDED", result.Steps["each"].ErrorCode);
        Assert.Empty(_plugins.Calls);
    }

    [Fact]
    public async Task Loop_ExactlyMaxIterations_Runs()
    {
        _plugins.On("t.fetch", Echo);
        var result = await CreateSut().RunAsync(Loop(""", "maxIterations": 3"""), ThreeItems);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task Loop_EmptyList_SucceedsWithAnEmptyList()
    {
        var result = await CreateSut().RunAsync(Loop(""), """{ "xs": [] }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("[]", result.Steps["each"].Data.Text());
        Assert.Empty(_plugins.Calls);
    }

    [Fact]
    public async Task Loop_OverAnObject_FailsWithNotAList()
    {
        var result = await CreateSut().RunAsync(Loop(""), """{ "xs": { "name": "a" } }""");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("LOOP_INPUT_NOT_A_LIST", result.Steps["each"].ErrorCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Regression_TokensOfLlmCallsInsideALoop_AreCountedExactlyOnce(bool parallel)
    {
        _llm.When("Rate", "fine", inputTokens: 10, outputTokens: 5);
        _llm.When("Sum up", "done", inputTokens: 1, outputTokens: 1);
        var result = await CreateSut().RunAsync(
            $$$"""
            {
              "input_schema": [ { "name": "xs", "type": "array" } ],
              "workflow_steps": [
                { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}", "parallel": {{{(parallel ? "true" : "false")}}},
                  "loopSteps": [ { "id": "rate", "type": "ai_processing", "prompt": "Rate {{current.name}}" } ] },
                { "id": "sum", "type": "ai_processing", "prompt": "Sum up {{each.data}}" }
              ]
            }
            """,
            ThreeItems);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(new ExecutionUsage(31, 16, 4) { Credits = 1 }, result.Usage);
        Assert.Equal(45, result.Steps["each"].TokensUsed);
        Assert.Equal(2, result.Steps["sum"].TokensUsed);
        Assert.Equal(15, result.Steps["each"].Data[1].GetProperty("rate").GetProperty("metadata").GetProperty("tokensUsed").GetInt32());
    }

    [Fact]
    public async Task Loop_AFailingIteration_FailsTheLoopAndTheRun()
    {
        _plugins.On("t.fetch", r => r.Parameters.GetProperty("name").GetString() == "b" ? PluginResult.Fail("b is broken", "BROKEN") : Echo(r));
        var result = await CreateSut().RunAsync(Loop(""), ThreeItems);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["each"].Status);
        Assert.Equal("BROKEN", result.Steps["each"].ErrorCode);
        Assert.Contains("b is broken", result.Steps["each"].Error, StringComparison.Ordinal);
        Assert.Equal(2, _plugins.Calls.Count);
    }

    [Fact]
    public async Task Loop_RunCancelledMidIteration_LoopIsCancelledAndLaterItemsNeverStart()
    {
        using var cancellation = new CancellationTokenSource();
        using var started = new SemaphoreSlim(0);
        _plugins.On("t.fetch", async (request, cancellationToken) =>
        {
            started.Release();
            await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            return Echo(request);
        });
        var run = CreateSut().ExecuteAsync(
            Workflows.Load(Loop(""", "parallel": true, "maxConcurrency": 1""")),
            new WorkflowExecutionRequest { UserId = "u1", Inputs = Json.Parse(ThreeItems) },
            cancellation.Token).AsTask();
        Assert.True(await started.WaitAsync(HandlerRuns.Guard));

        await cancellation.CancelAsync();
        var result = await run.WaitAsync(HandlerRuns.Guard);

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Equal(StepStatus.Cancelled, result.Steps["each"].Status);
        Assert.Single(_plugins.Calls);
    }

    [Fact]
    public async Task Loop_InnerStepsReadEachOtherWithinTheIteration()
    {
        _plugins.On("t.fetch", Echo).On("t.store", r => PluginResult.Ok(r.Parameters));
        var result = await CreateSut().RunAsync(Loop(
            "",
            """
            { "id": "fetch", "type": "action", "plugin": "t", "action": "fetch", "params": { "name": "{{current.name}}" } },
            { "id": "store", "type": "action", "plugin": "t", "action": "store", "params": { "v": "{{fetch.data.got}}", "i": "{{index}}" } }
            """), ThreeItems);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["a", "b", "c"], _plugins.CallsTo("t.store").Select(c => c.Parameters.GetProperty("v").GetString()));
        Assert.Equal("""{"v":"c","i":2}""", result.Steps["each"].Data[2].GetProperty("store").GetProperty("data").Text());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
