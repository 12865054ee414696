namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// What bounds one synchronous data operation (a transform, validation, enrichment, comparison or branch step) on the
/// thread running it: the step's token (its <c>timeout</c> and the run's cancellation), checked between items, and
/// the match timeout of the regular expressions it runs. A step that hit a match timeout is failed with
/// <see cref="ExecutionLimits.LimitExceededErrorCode"/> by its handler.
/// </summary>
/// <remarks>
/// The operations are static and synchronous, so the guard travels in a thread-static slot set for the duration of
/// <see cref="Enter"/> rather than through every signature. Outside a guarded step (a <c>when</c> condition, the
/// planner) there is no guard: items are not checked and a regex uses <see cref="RegexCache.DefaultMatchTimeout"/>.
/// </remarks>
internal sealed class OperationGuard
{
    [ThreadStatic]
    private static OperationGuard? t_current;

    private readonly OperationGuard? _previous;

    private OperationGuard(TimeSpan regexMatchTimeout, OperationGuard? previous, CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
        RegexMatchTimeout = regexMatchTimeout;
        _previous = previous;
    }

    /// <summary>The guard of the operation running on this thread, if any.</summary>
    public static OperationGuard? Current => t_current;

    /// <summary>The step's token.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The longest one match may take.</summary>
    public TimeSpan RegexMatchTimeout { get; }

    /// <summary>Whether a match of this operation ran out of time (its result was taken as no match).</summary>
    public bool RegexTimedOut { get; private set; }

    /// <summary>Starts guarding the operation about to run on this thread; dispose with <see cref="Exit"/>.</summary>
    /// <param name="regexMatchTimeout">The host's <see cref="ExecutionLimits.RegexMatchTimeout"/>.</param>
    /// <param name="cancellationToken">The step's token.</param>
    /// <returns>The guard.</returns>
    public static OperationGuard Enter(TimeSpan regexMatchTimeout, CancellationToken cancellationToken) =>
        t_current = new OperationGuard(regexMatchTimeout, t_current, cancellationToken);

    /// <summary>Ends this guard, restoring the one it was entered in.</summary>
    public void Exit() => t_current = _previous;

    /// <summary>Throws <see cref="OperationCanceledException"/> when the running operation's step is cancelled or timed out; called between items.</summary>
    public static void ThrowIfCancellationRequested() => t_current?.CancellationToken.ThrowIfCancellationRequested();

    /// <summary>Records that a match of the running operation timed out.</summary>
    public static void ReportRegexTimeout()
    {
        if (t_current is { } guard)
        {
            guard.RegexTimedOut = true;
        }
    }
}
