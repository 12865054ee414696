using Orchestrator.Core.Execution.Runtime;

namespace Orchestrator.Core.Tests.Execution.Runtime;

/// <summary>
/// The attempt timeout on the system clock, whose timer is shared by the attempts of a thread and re-armed only when
/// needed: each attempt is cancelled at its own deadline, never by an earlier attempt's timer, and never after it ended.
/// Real time, with short timeouts; every wait is bounded by <see cref="RuntimeTestKit.Patience"/> and no assertion is
/// on how long anything took.
/// </summary>
public class AttemptTimeoutTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits without leaving the thread: the attempts before and after must share the thread's clock.</summary>
    private static void StayOnThisThreadFor(TimeSpan time) => Task.Delay(time, TimeProvider.System).GetAwaiter().GetResult();

    private static async Task<bool> CancelledInTimeAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(RuntimeTestKit.Patience, TimeProvider.System, token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    [Fact]
    public async Task Start_AttemptOutlivesItsTimeout_ItsTokenIsCancelled()
    {
        var attempt = AttemptTimeout.Start(Short, TimeProvider.System, CancellationToken.None);

        Assert.True(await CancelledInTimeAsync(attempt.Token));
        Assert.True(attempt.IsCancellationRequested);
        attempt.End();
    }

    [Fact]
    public void Start_ManyAttemptsThatEndInTime_NoneIsCancelled()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var attempt = AttemptTimeout.Start(TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
            Assert.False(attempt.IsCancellationRequested);
            attempt.End();
        }
    }

    [Fact]
    public async Task Start_AfterAnEarlierAttemptsTimerFiredIdle_TheNewAttemptGetsItsWholeTimeAndIsThenCancelled()
    {
        // The first attempt arms the thread's timer and ends at once; the timer fires with no attempt running.
        var first = AttemptTimeout.Start(Short, TimeProvider.System, CancellationToken.None);
        first.End();
        StayOnThisThreadFor(Short * 3);

        var second = AttemptTimeout.Start(TimeSpan.FromMilliseconds(300), TimeProvider.System, CancellationToken.None);

        Assert.False(second.IsCancellationRequested);
        Assert.True(await CancelledInTimeAsync(second.Token));
        second.End();
    }

    [Fact]
    public void Start_TimerArmedByAnEarlierAttemptFiresEarly_RunningAttemptIsNotCancelledBeforeItsDeadline()
    {
        // The first attempt arms the timer for 50 ms and ends; the second, started on the same thread, has 10 s.
        var first = AttemptTimeout.Start(Short, TimeProvider.System, CancellationToken.None);
        first.End();
        var second = AttemptTimeout.Start(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);

        // The timer fires for the first attempt's deadline while the second runs: it must re-arm, not cancel.
        StayOnThisThreadFor(Short * 4);

        Assert.False(second.IsCancellationRequested);
        second.End();
    }

    [Fact]
    public async Task Start_ShorterTimeoutAfterALongerOne_IsCancelledAtItsOwnDeadline()
    {
        var first = AttemptTimeout.Start(TimeSpan.FromMinutes(5), TimeProvider.System, CancellationToken.None);
        first.End();

        var second = AttemptTimeout.Start(Short, TimeProvider.System, CancellationToken.None);

        // Well before the first attempt's five minutes: the timer was re-armed for the earlier deadline.
        Assert.True(await CancelledInTimeAsync(second.Token));
        second.End();
    }

    [Fact]
    public async Task Start_OuterTokenCancelled_AttemptIsCancelledAndTheNextAttemptIsNot()
    {
        using var run = new CancellationTokenSource();
        var attempt = AttemptTimeout.Start(TimeSpan.FromSeconds(30), TimeProvider.System, run.Token);

        await run.CancelAsync();

        Assert.True(attempt.IsCancellationRequested);
        attempt.End();
        var next = AttemptTimeout.Start(TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        Assert.False(next.IsCancellationRequested); // A cancelled source is never handed to another attempt.
        next.End();
    }

    [Fact]
    public async Task Start_TimedOutAttempt_NextAttemptOnTheThreadGetsAFreshToken()
    {
        var timedOut = AttemptTimeout.Start(Short, TimeProvider.System, CancellationToken.None);
        Assert.True(await CancelledInTimeAsync(timedOut.Token));
        timedOut.End();

        var next = AttemptTimeout.Start(TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);

        Assert.False(next.IsCancellationRequested);
        Assert.NotEqual(timedOut.Token, next.Token);
        next.End();
    }
}
