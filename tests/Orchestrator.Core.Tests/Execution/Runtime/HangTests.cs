using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

/// <summary>
/// Issue 12, hangs: rollback, step timeouts and cancellation end even when the host's code ignores its token. Time is a
/// fake clock advanced only once the timer in question exists; <see cref="RuntimeTestKit.Patience"/> is a safety net that
/// turns a hang into a failure, never a timing assertion.
/// </summary>
public class HangTests
{
    private const string FailingChainWithRollback = """
        [ { "id": "book", "type": "action", "plugin": "p", "action": "ok", "rollbackAction": { "plugin": "p", "action": "undo" } },
          { "id": "charge", "type": "action", "plugin": "p", "action": "bad", "dependencies": ["book"] } ]
        """;

    /// <summary>A handler that signals it was entered, then never returns and never looks at its token.</summary>
    private static Func<PluginRequest, CancellationToken, ValueTask<PluginResult>> IgnoresItsToken(Counter entered, Task? release = null) =>
        async (_, _) =>
        {
            entered.Increment();
            await (release ?? new TaskCompletionSource().Task);
            return RuntimeTestKit.Ok();
        };

    [Fact]
    public async Task ExecuteAsync_RollbackHangsIgnoringItsToken_EndsAfterSideCallTimeoutWithAWarning()
    {
        var time = new TimerRecordingTimeProvider();
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor()
            .On("p.ok", "{}")
            .On("p.bad", _ => PluginResult.Fail("declined", "DECLINED"))
            .On("p.undo", IgnoresItsToken(entered));
        var sut = RuntimeTestKit.CreateSut(plugins, time, new WorkflowOrchestratorOptions { SideCallTimeout = TimeSpan.FromSeconds(10) });

        var run = sut.ExecuteAsync(Workflows.Load(FailingChainWithRollback), RuntimeTestKit.Request()).AsTask();
        await entered.WaitForAsync(1);
        time.Advance(TimeSpan.FromSeconds(10));
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("DECLINED", result.ErrorCode);
        Assert.Contains(result.Warnings, w => w.Contains("Rollback of step 'book' did not finish within 10000 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringAHangingRollback_ReturnsAndReportsTheRollbackAbandoned()
    {
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor()
            .On("p.ok", "{}")
            .On("p.bad", _ => PluginResult.Fail("declined", "DECLINED"))
            .On("p.undo", IgnoresItsToken(entered));
        var sut = RuntimeTestKit.CreateSut(plugins);
        using var cts = new CancellationTokenSource();

        var run = sut.ExecuteAsync(Workflows.Load(FailingChainWithRollback), RuntimeTestKit.Request(), cts.Token).AsTask();
        await entered.WaitForAsync(1);
        await cts.CancelAsync();
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status); // The failure came first and stands.
        Assert.Contains(result.Warnings, w => w.Contains("Rollback of step 'book' was abandoned: the run was cancelled.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_PluginIgnoresItsTokenPastTheStepTimeout_StepFailsWithTimeout()
    {
        var time = new TimerRecordingTimeProvider();
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor().On("p.hang", IgnoresItsToken(entered)).On("p.ok", "{}");
        var sut = RuntimeTestKit.CreateSut(plugins, time);

        var run = sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "slow", "type": "action", "plugin": "p", "action": "hang", "timeout": 1000, "continueOnError": true },
              { "id": "after", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["slow"] } ]
            """), RuntimeTestKit.Request()).AsTask();
        await entered.WaitForAsync(1);
        await time.Timers.WaitForAsync(1);
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await run.Within();

        Assert.Equal(StepStatus.Failed, result.Steps["slow"].Status);
        Assert.Equal("TIMEOUT", result.Steps["slow"].ErrorCode);
        Assert.Equal(StepStatus.Succeeded, result.Steps["after"].Status);
        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsWhileAPluginIgnoresItsTokenForever_ReturnsCancelledAfterTheGracePeriod()
    {
        var time = new TimerRecordingTimeProvider();
        var entered = new Counter();
        var plugins = new ScriptedPluginExecutor().On("p.hang", IgnoresItsToken(entered));
        var sut = RuntimeTestKit.CreateSut(plugins, time, new WorkflowOrchestratorOptions { CancellationGracePeriod = TimeSpan.FromSeconds(3) });
        using var cts = new CancellationTokenSource();

        var run = sut.ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "hang" } ]"""), RuntimeTestKit.Request(), cts.Token).AsTask();
        await entered.WaitForAsync(1);
        await cts.CancelAsync();
        await time.Timers.WaitForAsync(1); // The grace period's timer.
        Assert.False(run.IsCompleted, "The run gave up before its grace period.");
        time.Advance(TimeSpan.FromSeconds(3));
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Equal("CANCELLED", result.ErrorCode);
        Assert.Equal(StepStatus.Cancelled, result.Steps["a"].Status);
        Assert.Contains(result.Warnings, w => w.Contains("abandoned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsAndTheLastStepIgnoresItThenSucceeds_EndsCancelledNotSucceeded()
    {
        var entered = new Counter();
        var release = new TaskCompletionSource();
        var plugins = new ScriptedPluginExecutor().On("p.slow", IgnoresItsToken(entered, release.Task));
        var sut = RuntimeTestKit.CreateSut(plugins);
        using var cts = new CancellationTokenSource();

        var run = sut.ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "slow" } ]"""), RuntimeTestKit.Request(), cts.Token).AsTask();
        await entered.WaitForAsync(1);
        await cts.CancelAsync();
        release.SetResult();
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Equal("CANCELLED", result.ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_MemoryStoreHangsIgnoringItsToken_RunGoesOnWithoutMemoryAfterSideCallTimeout()
    {
        var time = new TimerRecordingTimeProvider();
        var store = new HangingMemoryStore();
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var sut = new WorkflowOrchestratorBuilder(plugins, new ScriptedLlmClient()).UseOptions(new WorkflowOrchestratorOptions { SideCallTimeout = TimeSpan.FromSeconds(5) }).UseTimeProvider(time).AddMemoryStore(store).Build();

        var run = sut.ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "ok" } ]"""), RuntimeTestKit.Request()).AsTask();
        await store.Entered.WaitForAsync(1);
        await time.Timers.WaitForAsync(1);
        time.Advance(TimeSpan.FromSeconds(5));
        await store.Entered.WaitForAsync(2); // Saving the run's memory hangs too.
        await time.Timers.WaitForAsync(2);
        time.Advance(TimeSpan.FromSeconds(5));
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Contains(result.Warnings, w => w.Contains("Memory could not be loaded (TimeoutException", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("could not be saved", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NonPositiveSideCallTimeoutOrNegativeGrace_NamesBoth()
    {
        var options = new WorkflowOrchestratorOptions { SideCallTimeout = TimeSpan.Zero, CancellationGracePeriod = TimeSpan.FromSeconds(-1) };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(nameof(WorkflowOrchestratorOptions.SideCallTimeout), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(WorkflowOrchestratorOptions.CancellationGracePeriod), error.Message, StringComparison.Ordinal);
    }

    /// <summary>A memory store whose every call hangs and ignores its token.</summary>
    private sealed class HangingMemoryStore : IMemoryStore
    {
        public Counter Entered { get; } = new();

        public ValueTask<IReadOnlyList<RunMemory>> GetRecentRunsAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default) => Hang<IReadOnlyList<RunMemory>>();

        public ValueTask<IReadOnlyList<UserMemory>> GetUserMemoriesAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default) => Hang<IReadOnlyList<UserMemory>>();

        public ValueTask<int> SaveRunAsync(RunMemory memory, CancellationToken cancellationToken = default) => Hang<int>();

        public ValueTask SaveUserMemoryAsync(UserMemory memory, CancellationToken cancellationToken = default) => new(Hang<int>().AsTask());

        public ValueTask<int> CountRunsAsync(string userId, string agentId, CancellationToken cancellationToken = default) => Hang<int>();

        private ValueTask<T> Hang<T>()
        {
            Entered.Increment();
            return new ValueTask<T>(new TaskCompletionSource<T>().Task);
        }
    }
}
