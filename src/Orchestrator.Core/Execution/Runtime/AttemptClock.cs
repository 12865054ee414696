namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// A reusable timeout for one attempt at a time on the system clock: a cancellation source and a timer that is not
/// re-armed for every attempt. An attempt sets its deadline; the timer is armed only when it would otherwise fire after
/// that deadline (when it is idle, or armed for a later one). When it fires before the running attempt's deadline it
/// re-arms itself for the rest, when no attempt runs it stays idle, and when the deadline has passed it cancels the
/// source. So a stream of attempts that finish in time (nearly all) touches the timer about once per timeout period
/// instead of twice per attempt (arm, then disarm), which cost a step with a timeout more than the rest of its middleware.
/// </summary>
/// <remarks>
/// A clock whose source was cancelled is never reused. Everything it shares with the timer's callback is read and
/// written under its lock; the source is cancelled outside it, so the token's callbacks never run under the lock.
/// </remarks>
internal sealed class AttemptClock : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ITimer _timer;

    /// <summary>When the running attempt's time is up (a <see cref="TimeProvider.System"/> timestamp).</summary>
    private long _deadline;

    /// <summary>When the timer fires next; <see cref="long.MaxValue"/> when it is idle.</summary>
    private long _dueAt = long.MaxValue;

    private bool _active;
    private bool _cancelling;

    public AttemptClock()
    {
        // The callback only cancels the source: it needs no caller's context, and must not keep the first caller's alive.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = TimeProvider.System.CreateTimer(static state => ((AttemptClock)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Cancelled when the running attempt's time is up.</summary>
    public CancellationTokenSource Source { get; } = new();

    /// <summary>Starts an attempt that may take <paramref name="timeout"/>.</summary>
    public void Begin(TimeSpan timeout)
    {
        var ticks = Math.Max(1, (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency));
        var now = TimeProvider.System.GetTimestamp();
        var deadline = now > long.MaxValue - ticks ? long.MaxValue - 1 : now + ticks;
        lock (_lock)
        {
            _deadline = deadline;
            _active = true;
            if (_dueAt <= deadline)
            {
                return; // The timer fires first and then re-arms for the rest.
            }

            _dueAt = deadline;
            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Ends the attempt; returns whether the clock may serve another one (its source was not cancelled).</summary>
    public bool End()
    {
        lock (_lock)
        {
            _active = false;
            if (!_cancelling && !Source.IsCancellationRequested)
            {
                return true;
            }
        }

        // Cancelled by its timeout or by the run: retired. The source is not disposed, as the timer may still be
        // cancelling it; it holds no timer of its own, so the collector takes it.
        _timer.Dispose();
        return false;
    }

    /// <summary>Retires a clock that is not kept (its source was not cancelled).</summary>
    public void Dispose()
    {
        _timer.Dispose();
        Source.Dispose();
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            if (!_active)
            {
                _dueAt = long.MaxValue; // Idle until the next attempt arms it.
                return;
            }

            var now = TimeProvider.System.GetTimestamp();
            if (now < _deadline)
            {
                // Armed by an earlier attempt: the running one has time left.
                _dueAt = _deadline;
                _timer.Change(TimeProvider.System.GetElapsedTime(now, _deadline), Timeout.InfiniteTimeSpan);
                return;
            }

            _cancelling = true;
        }

        Source.Cancel();
    }
}
