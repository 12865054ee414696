using System.Runtime.InteropServices;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The timeout of one attempt: a token cancelled after the timeout (on the runtime's <see cref="TimeProvider"/>) or when
/// the outer token (the run's) is cancelled, as Polly's timeout strategy does, but without Polly's per-attempt machinery
/// around it. With the system clock the attempt borrows its thread's <see cref="AttemptClock"/>, which is given back
/// when the attempt ends in time; another time provider gets a cancellation source of its own per attempt.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct AttemptTimeout
{
    [ThreadStatic]
    private static AttemptClock? t_spare;

    private readonly CancellationTokenSource _source;
    private readonly AttemptClock? _clock;
    private readonly CancellationTokenRegistration _link;

    private AttemptTimeout(CancellationTokenSource source, AttemptClock? clock, CancellationTokenRegistration link)
    {
        _source = source;
        _clock = clock;
        _link = link;
    }

    /// <summary>The attempt's token.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the timeout (or the outer token) cancelled the attempt.</summary>
    public bool IsCancellationRequested => _source.IsCancellationRequested;

    /// <summary>Arms the timeout of an attempt that starts now.</summary>
    public static AttemptTimeout Start(TimeSpan timeout, TimeProvider time, CancellationToken outer)
    {
        AttemptClock? clock = null;
        CancellationTokenSource source;
        if (ReferenceEquals(time, TimeProvider.System))
        {
            clock = t_spare ?? new AttemptClock();
            t_spare = null;
            clock.Begin(timeout);
            source = clock.Source;
        }
        else
        {
            source = new CancellationTokenSource(timeout, time);
        }

        var link = outer.CanBeCanceled
            ? outer.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source)
            : default;
        return new AttemptTimeout(source, clock, link);
    }

    /// <summary>Ends the attempt: unlinks from the outer token and gives the clock back (if its source was never cancelled).</summary>
    public void End()
    {
        // Waits for a cancellation callback that is running, so the clock is never handed on under it.
        _link.Dispose();
        if (_clock is null)
        {
            _source.Dispose();
        }
        else if (_clock.End())
        {
            // The attempt may end on another thread than it started on: that thread keeps one spare, the rest retire.
            if (t_spare is null)
            {
                t_spare = _clock;
            }
            else
            {
                _clock.Dispose();
            }
        }
    }
}
