using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class ResilienceTests
{
    private static (ScriptedPluginExecutor Plugins, Counter Calls) Flaky(params PluginResult[] results)
    {
        var calls = new Counter();
        var count = 0;
        var plugins = new ScriptedPluginExecutor().On("api.call", _ =>
        {
            var result = results[Math.Min(Interlocked.Increment(ref count) - 1, results.Length - 1)];
            calls.Increment();
            return result;
        });
        return (plugins, calls);
    }

    private static string Step(string retryPolicy, string extra = "") => $$"""
        [ { "id": "call", "type": "action", "plugin": "api", "action": "call", "retryPolicy": {{retryPolicy}}{{extra}} } ]
        """;

    [Fact]
    public async Task ExecuteAsync_PluginFailureReturnedAsValue_IsRetried_RegressionRetriesThatNeverFireBecauseErrorsAreReturned()
    {
        var (plugins, _) = Flaky(PluginResult.Fail("temporarily unavailable", "UNAVAILABLE", retryable: true), RuntimeTestKit.Ok("""{ "v": 1 }"""));

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(
            Workflows.Load(Step("""{ "maxRetries": 2, "backoffMs": 0 }""")), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, plugins.Calls.Count);
        Assert.Equal(2, result.Steps["call"].Attempts);
        Assert.Equal([1, 2], plugins.Calls.Select(c => c.Attempt));
    }

    [Theory]
    [InlineData("RATE_LIMIT", "slow down", """["rate_limit"]""")]
    [InlineData("429", "slow down", """["429", "TIMEOUT"]""")]
    [InlineData("UPSTREAM", "upstream said: Too Many Requests", """["too many requests"]""")]
    public async Task ExecuteAsync_ErrorMatchesRetryableErrors_IsRetriedUntilItSucceeds(string code, string message, string retryableErrors)
    {
        var (plugins, _) = Flaky(PluginResult.Fail(message, code), PluginResult.Fail(message, code), RuntimeTestKit.Ok());

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(
            Workflows.Load(Step($$"""{ "maxRetries": 3, "backoffMs": 0, "retryableErrors": {{retryableErrors}} }""")), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(3, result.Steps["call"].Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_NonRetryableError_IsNotRetried()
    {
        var (plugins, _) = Flaky(PluginResult.Fail("bad request", "BAD_REQUEST"), RuntimeTestKit.Ok());
        var time = new TimerRecordingTimeProvider();

        var result = await RuntimeTestKit.CreateSut(plugins, time).ExecuteAsync(
            Workflows.Load(Step("""{ "maxRetries": 3, "backoffMs": 100, "retryableErrors": ["429", "TIMEOUT"] }""")), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Single(plugins.Calls);
        Assert.Equal(1, result.Steps["call"].Attempts);
        Assert.Equal("BAD_REQUEST", result.Steps["call"].ErrorCode);
        Assert.Empty(time.DueTimes);
    }

    [Fact]
    public async Task ExecuteAsync_RetriesExhausted_FailsWithTheLastErrorAndCountsEveryAttempt()
    {
        var (plugins, _) = Flaky(PluginResult.Fail("still down", "UNAVAILABLE", retryable: true));

        var result = await RuntimeTestKit.CreateSut(plugins).ExecuteAsync(
            Workflows.Load(Step("""{ "maxRetries": 2, "backoffMs": 0 }""")), RuntimeTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(3, plugins.Calls.Count);
        Assert.Equal(3, result.Steps["call"].Attempts);
        Assert.Equal("UNAVAILABLE", result.Steps["call"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_Backoff_WaitsBackoffTimesMultiplierToTheNBeforeEachRetry()
    {
        var (plugins, calls) = Flaky(
            PluginResult.Fail("busy", "BUSY", retryable: true),
            PluginResult.Fail("busy", "BUSY", retryable: true),
            PluginResult.Fail("busy", "BUSY", retryable: true),
            RuntimeTestKit.Ok());
        var time = new TimerRecordingTimeProvider();
        var sut = RuntimeTestKit.CreateSut(plugins, time);

        var run = sut.ExecuteAsync(
            Workflows.Load(Step("""{ "maxRetries": 3, "backoffMs": 1000, "backoffMultiplier": 3 }""")), RuntimeTestKit.Request()).AsTask();

        TimeSpan[] expected = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9)];
        for (var retry = 0; retry < expected.Length; retry++)
        {
            await time.Timers.WaitForAsync(retry + 1);
            Assert.Equal(expected[retry], time.DueTimes.ElementAt(retry));
            Assert.Equal(retry + 1, calls.Value);

            time.Advance(expected[retry] - TimeSpan.FromMilliseconds(1));
            Assert.Equal(retry + 1, calls.Value);

            time.Advance(TimeSpan.FromMilliseconds(1));
            await calls.WaitForAsync(retry + 2);
        }

        var result = await run.Within();
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(4, result.Steps["call"].Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_AttemptTimesOut_FailsWithTimeoutCodeAndIsRetried()
    {
        var entered = new Counter();
        var cancelled = new Counter();
        var plugins = new ScriptedPluginExecutor().On("api.call", async (_, ct) =>
        {
            entered.Increment();
            try
            {
                await new TaskCompletionSource().Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.Increment();
                throw;
            }

            return RuntimeTestKit.Ok();
        });
        var time = new TimerRecordingTimeProvider();
        var sut = RuntimeTestKit.CreateSut(plugins, time);

        var run = sut.ExecuteAsync(
            Workflows.Load(Step("""{ "maxRetries": 1, "backoffMs": 100 }""", """, "timeout": 5000""")), RuntimeTestKit.Request()).AsTask();

        await entered.WaitForAsync(1);
        await time.Timers.WaitForAsync(1);
        Assert.Equal(TimeSpan.FromSeconds(5), time.DueTimes.Last());
        time.Advance(TimeSpan.FromSeconds(5));
        await cancelled.WaitForAsync(1);
        await time.Timers.WaitForAsync(2);
        Assert.Equal(TimeSpan.FromMilliseconds(100), time.DueTimes.Last());
        time.Advance(TimeSpan.FromMilliseconds(100));
        await entered.WaitForAsync(2);
        await time.Timers.WaitForAsync(3);
        time.Advance(TimeSpan.FromSeconds(5));
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(2, cancelled.Value);
        Assert.Equal(StepStatus.Failed, result.Steps["call"].Status);
        Assert.Equal("TIMEOUT", result.Steps["call"].ErrorCode);
        Assert.Equal("TIMEOUT", result.ErrorCode);
        Assert.Equal(2, result.Steps["call"].Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_TimeoutWithoutRetryPolicy_FailsWithTimeoutCode()
    {
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor().On("api.call", RuntimeTestKit.Gated(new TaskCompletionSource().Task, RuntimeTestKit.Ok(), entered));
        var time = new TimerRecordingTimeProvider();
        var sut = RuntimeTestKit.CreateSut(plugins, time);

        var run = sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "call", "type": "action", "plugin": "api", "action": "call", "timeout": 250 } ]
            """), RuntimeTestKit.Request()).AsTask();
        await entered.WaitForAsync(1);
        await time.Timers.WaitForAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(250));
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("TIMEOUT", result.Steps["call"].ErrorCode);
        Assert.Contains("250 ms", result.Steps["call"].Error, StringComparison.Ordinal);
        Assert.Equal(1, result.Steps["call"].Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_StepWithoutTimeout_UsesTheDefaultStepTimeout()
    {
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor().On("api.call", RuntimeTestKit.Gated(new TaskCompletionSource().Task, RuntimeTestKit.Ok(), entered));
        var time = new TimerRecordingTimeProvider();
        var sut = RuntimeTestKit.CreateSut(plugins, time, new WorkflowOrchestratorOptions { DefaultStepTimeout = TimeSpan.FromSeconds(30) });

        var run = sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "call", "type": "action", "plugin": "api", "action": "call" } ]
            """), RuntimeTestKit.Request()).AsTask();
        await entered.WaitForAsync(1);
        await time.Timers.WaitForAsync(1);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("TIMEOUT", result.Steps["call"].ErrorCode);
        Assert.Equal([TimeSpan.FromSeconds(30)], time.DueTimes);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringBackoff_ReportsCancelledWithoutAnotherAttempt()
    {
        var (plugins, calls) = Flaky(PluginResult.Fail("busy", "BUSY", retryable: true), RuntimeTestKit.Ok());
        var time = new TimerRecordingTimeProvider();
        using var cts = new CancellationTokenSource();
        var run = RuntimeTestKit.CreateSut(plugins, time).ExecuteAsync(
            Workflows.Load(Step("""{ "maxRetries": 3, "backoffMs": 60000 }""")), RuntimeTestKit.Request(), cts.Token).AsTask();

        await time.Timers.WaitForAsync(1);
        await cts.CancelAsync();
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Equal(1, calls.Value);
        Assert.Equal(StepStatus.Cancelled, result.Steps["call"].Status);
    }

    [Fact]
    public async Task ExecuteStreamingAsync_StepRetried_EmitsStepRetriedEventPerRetry()
    {
        var (plugins, _) = Flaky(PluginResult.Fail("busy", "BUSY", retryable: true), PluginResult.Fail("busy again", "BUSY", retryable: true), RuntimeTestKit.Ok());
        var sut = RuntimeTestKit.CreateSut(plugins);
        var plan = Workflows.PlanOrFail(Step("""{ "maxRetries": 3, "backoffMs": 0 }"""));

        var events = new List<ExecutionEvent>();
        await foreach (var e in sut.ExecuteStreamingAsync(plan, RuntimeTestKit.Request(executionId: "run-9")))
        {
            events.Add(e);
        }

        var retries = events.OfType<StepRetriedEvent>().ToList();
        Assert.Equal([1, 2], retries.Select(r => r.Attempt));
        Assert.All(retries, r => Assert.Equal("call", r.StepId));
        Assert.All(retries, r => Assert.Equal("run-9", r.ExecutionId));
        Assert.Equal(["busy", "busy again"], retries.Select(r => r.Error));
        Assert.Equal(3, Assert.IsType<ExecutionFinishedEvent>(events[^1]).Result.Steps["call"].Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_ContainerStepTimesOut_FailsWithTimeoutCodeAndIsRetried()
    {
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor().On("api.call", RuntimeTestKit.Gated(new TaskCompletionSource().Task, RuntimeTestKit.Ok(), entered));
        var time = new TimerRecordingTimeProvider();
        var sut = RuntimeTestKit.CreateSut(plugins, time);

        var run = sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "group", "type": "parallel_group", "timeout": 1000, "retryPolicy": { "maxRetries": 1, "backoffMs": 10 },
                "steps": [ { "id": "inner", "type": "action", "plugin": "api", "action": "call" } ] } ]
            """), RuntimeTestKit.Request()).AsTask();
        await entered.WaitForAsync(1);
        await time.Timers.WaitForAsync(1);
        time.Advance(TimeSpan.FromSeconds(1));
        await time.Timers.WaitForAsync(2);
        time.Advance(TimeSpan.FromMilliseconds(10));
        await entered.WaitForAsync(2);
        await time.Timers.WaitForAsync(3);
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["group"].Status);
        Assert.Equal("TIMEOUT", result.Steps["group"].ErrorCode);
        Assert.Equal(2, result.Steps["group"].Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_SynchronousAttemptRunsPastItsTimeout_ItsTokenIsCancelledAndTheStepFailsWithTimeout()
    {
        var time = new TimerRecordingTimeProvider();
        var sawCancellation = false;
        var plugins = new ScriptedPluginExecutor().On("api.call", (_, ct) =>
        {
            // Synchronous work that outlasts the timeout: the timer must fire under it, not only once the attempt awaits.
            time.Advance(TimeSpan.FromSeconds(2));
            sawCancellation = ct.IsCancellationRequested;
            return ValueTask.FromResult(sawCancellation ? PluginResult.Fail("stopped", "STOPPED") : RuntimeTestKit.Ok());
        });

        var result = await RuntimeTestKit.CreateSut(plugins, time).ExecuteAsync(Workflows.Load("""
            [ { "id": "call", "type": "action", "plugin": "api", "action": "call", "timeout": 1000 } ]
            """), RuntimeTestKit.Request()).AsTask().Within();

        Assert.True(sawCancellation);
        Assert.Equal("TIMEOUT", result.Steps["call"].ErrorCode);
        Assert.Contains("1000 ms", result.Steps["call"].Error, StringComparison.Ordinal);
        Assert.Equal(1, result.Steps["call"].Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_SynchronousFailureThenAnAttemptThatGoesAsyncAfterASynchronousPrefix_RetryTimesOutWithItsOwnTimer()
    {
        var calls = 0;
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor().On("api.call", async (_, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                return PluginResult.Fail("busy", "BUSY", retryable: true); // completes synchronously
            }

            entered.Increment(); // the synchronous prefix of the second attempt
            await new TaskCompletionSource().Task.WaitAsync(ct);
            return RuntimeTestKit.Ok();
        });
        var time = new TimerRecordingTimeProvider();
        var run = RuntimeTestKit.CreateSut(plugins, time).ExecuteAsync(
            Workflows.Load(Step("""{ "maxRetries": 1, "backoffMs": 100 }""", """, "timeout": 5000""")), RuntimeTestKit.Request()).AsTask();

        await time.Timers.WaitForAsync(2); // the first attempt's timeout, then the backoff
        time.Advance(TimeSpan.FromMilliseconds(100));
        await entered.WaitForAsync(1);
        await time.Timers.WaitForAsync(3);
        time.Advance(TimeSpan.FromSeconds(5));
        var result = await run.Within();

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)], time.DueTimes);
        Assert.Equal("TIMEOUT", result.Steps["call"].ErrorCode);
        Assert.Equal(2, result.Steps["call"].Attempts);
    }

    [Fact]
    public async Task ExecuteStreamingAsync_SynchronousFailureBeforeTheRetryPipeline_IsRetriedWithOneRetryEventAndAttemptNumbersInOrder()
    {
        var (plugins, _) = Flaky(PluginResult.Fail("busy", "BUSY", retryable: true), RuntimeTestKit.Ok());
        var sut = RuntimeTestKit.CreateSut(plugins, options: new WorkflowOrchestratorOptions { DefaultStepTimeout = TimeSpan.FromSeconds(30) });
        var plan = Workflows.PlanOrFail(Step("""{ "maxRetries": 3, "backoffMs": 0 }"""));

        var events = new List<ExecutionEvent>();
        await foreach (var e in sut.ExecuteStreamingAsync(plan, RuntimeTestKit.Request()))
        {
            events.Add(e);
        }

        Assert.Equal([1], events.OfType<StepRetriedEvent>().Select(r => r.Attempt));
        Assert.Equal([1, 2], plugins.Calls.Select(c => c.Attempt));
        Assert.Equal(2, Assert.IsType<ExecutionFinishedEvent>(events[^1]).Result.Steps["call"].Attempts);
    }
}
