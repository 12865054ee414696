using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class CancellationTests
{
    [Fact]
    public async Task ExecuteAsync_CallerCancels_StopsPromptlyWithCancelledAndRunningCallsSeeIt()
    {
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            lock (unobserved)
            {
                unobserved.Add(e.Exception);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            var entered = new Counter();
            var cancelledCalls = 0;
            var never = new TaskCompletionSource();
            var plugins = new ScriptedPluginExecutor()
                .On("p.hang", async (_, ct) =>
                {
                    entered.Increment();
                    try
                    {
                        await never.Task.WaitAsync(ct);
                    }
                    catch (OperationCanceledException)
                    {
                        Interlocked.Increment(ref cancelledCalls);
                        throw;
                    }

                    return RuntimeTestKit.Ok();
                })
                .On("p.ok", "{}");
            var sut = RuntimeTestKit.CreateSut(plugins);
            using var cts = new CancellationTokenSource();
            var run = sut.ExecuteAsync(Workflows.Load("""
                [ { "id": "a", "type": "action", "plugin": "p", "action": "hang" },
                  { "id": "b", "type": "action", "plugin": "p", "action": "hang", "retryPolicy": { "maxRetries": 3, "backoffMs": 10 } },
                  { "id": "later", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["a", "b"] } ]
                """), RuntimeTestKit.Request(), cts.Token).AsTask();

            await entered.WaitForAsync(2);
            await cts.CancelAsync();
            var result = await run.Within();

            Assert.Equal(ExecutionStatus.Cancelled, result.Status);
            Assert.Equal("CANCELLED", result.ErrorCode);
            Assert.Equal(2, Volatile.Read(ref cancelledCalls));
            Assert.Equal(2, plugins.CallsTo("p.hang").Count());
            Assert.Equal(StepStatus.Cancelled, result.Steps["a"].Status);
            Assert.Equal(StepStatus.Cancelled, result.Steps["b"].Status);
            Assert.Equal(StepStatus.Cancelled, result.Steps["later"].Status);
            Assert.All(result.Steps.Values, s => Assert.False(string.IsNullOrEmpty(s.SkipReason)));
            Assert.Empty(plugins.CallsTo("p.ok"));
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        Assert.Empty(unobserved);
    }

    [Fact]
    public async Task ExecuteAsync_TokenAlreadyCancelled_RunsNothingAndReportsCancelled()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "ok" } ]
            """), RuntimeTestKit.Request(), cts.Token);

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Empty(plugins.Calls);
        Assert.Equal(StepStatus.Cancelled, result.Steps["a"].Status);
    }

    [Fact]
    public async Task ExecuteStreamingAsync_CallerCancels_EndsWithACancelledResult()
    {
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor()
            .On("p.hang", RuntimeTestKit.Gated(new TaskCompletionSource().Task, RuntimeTestKit.Ok(), entered));
        var sut = RuntimeTestKit.CreateSut(plugins);
        using var cts = new CancellationTokenSource();
        var plan = Workflows.PlanOrFail("""[ { "id": "a", "type": "action", "plugin": "p", "action": "hang" } ]""");

        var events = new List<ExecutionEvent>();
        var consume = Task.Run(async () =>
        {
            await foreach (var e in sut.ExecuteStreamingAsync(plan, RuntimeTestKit.Request(), cts.Token))
            {
                events.Add(e);
            }
        });
        await entered.WaitForAsync(1);
        await cts.CancelAsync();
        await consume.Within();

        var finished = Assert.IsType<ExecutionFinishedEvent>(events[^1]);
        Assert.Equal(ExecutionStatus.Cancelled, finished.Result.Status);
        Assert.Contains(events, e => e is StepFinishedEvent { Result.Status: StepStatus.Cancelled });
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringASequentialLoop_WaitsForTheRunningItemAndLeavesNoUnobservedException()
    {
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            lock (unobserved)
            {
                unobserved.Add(e.Exception);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            var entered = new Counter();
            var release = new TaskCompletionSource();
            var plugins = new ScriptedPluginExecutor().On("p.slow", async (_, _) =>
            {
                entered.Increment();
                await release.Task; // Does not watch its token: finishes only when the test says so.
                return RuntimeTestKit.Ok();
            });
            using var cts = new CancellationTokenSource();
            var run = RuntimeTestKit.CreateSut(plugins).ExecuteAsync(Workflows.Load("""
                [ { "id": "each", "type": "loop", "iterateOver": "{{input.items}}", "loopSteps": [
                    { "id": "work", "type": "action", "plugin": "p", "action": "slow", "params": { "item": "{{current}}" } } ] } ]
                """), RuntimeTestKit.Request("""{ "items": ["a", "b", "c"] }"""), cts.Token).AsTask();

            await entered.WaitForAsync(1);
            await cts.CancelAsync();
            Assert.False(run.IsCompleted, "The run reported before its running plugin call returned.");
            release.SetResult();
            var result = await run.Within();

            Assert.Equal(ExecutionStatus.Cancelled, result.Status);
            Assert.Single(plugins.Calls);
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        Assert.Empty(unobserved);
    }
}
