using System.Runtime.InteropServices;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The timeout of one attempt: a cancellation source that cancels after the timeout (on the runtime's
/// <see cref="TimeProvider"/>) or when the outer token (the run's) is cancelled, as Polly's timeout strategy does, but
/// without Polly's per-attempt machinery around it. With the system clock the source is reused across attempts of the
/// same thread (its timer is re-armed, not re-created); an attempt whose source was cancelled never gives it back.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct AttemptTimeout
{
    [ThreadStatic]
    private static CancellationTokenSource? t_spare;

    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _link;
    private readonly bool _reusable;

    private AttemptTimeout(CancellationTokenSource source, CancellationTokenRegistration link, bool reusable)
    {
        _source = source;
        _link = link;
        _reusable = reusable;
    }

    /// <summary>The attempt's token.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the timeout (or the outer token) cancelled the attempt.</summary>
    public bool IsCancellationRequested => _source.IsCancellationRequested;

    /// <summary>Arms the timeout of an attempt that starts now.</summary>
    public static AttemptTimeout Start(TimeSpan timeout, TimeProvider time, CancellationToken outer)
    {
        CancellationTokenSource source;
        var reusable = ReferenceEquals(time, TimeProvider.System);
        if (reusable)
        {
            source = t_spare ?? new CancellationTokenSource();
            t_spare = null;
            source.CancelAfter(timeout);
        }
        else
        {
            source = new CancellationTokenSource(timeout, time);
        }

        var link = outer.CanBeCanceled
            ? outer.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source)
            : default;
        return new AttemptTimeout(source, link, reusable);
    }

    /// <summary>Ends the attempt: unlinks from the outer token and stops the timer (the source is kept for reuse if it never fired).</summary>
    public void End()
    {
        // Waits for a cancellation callback that is running, so the source is never reset under it.
        _link.Dispose();
        if (_reusable && _source.TryReset())
        {
            t_spare = _source;
        }
        else
        {
            _source.Dispose();
        }
    }
}
