namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Bounds a call into code the orchestrator does not own (a plugin's rollback, a memory store) by a timeout and a
/// cancellation token, even when the callee ignores its token: the call is then abandoned (its task keeps running,
/// its eventual failure is observed so it never surfaces as an unobserved exception) and the caller gets a
/// <see cref="TimeoutException"/> or an <see cref="OperationCanceledException"/> to report.
/// </summary>
internal static class SideCalls
{
    /// <summary>Waits for <paramref name="call"/> at most <paramref name="timeout"/>, or until <paramref name="cancellationToken"/> fires.</summary>
    public static ValueTask<T> BoundAsync<T>(ValueTask<T> call, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (call.IsCompleted)
        {
            return call; // The common case costs nothing.
        }

        var task = call.AsTask();
        ObserveFaults(task);
        return new ValueTask<T>(task.WaitAsync(timeout, timeProvider, cancellationToken));
    }

    /// <summary>Waits for <paramref name="call"/> at most <paramref name="timeout"/>, or until <paramref name="cancellationToken"/> fires.</summary>
    public static ValueTask BoundAsync(ValueTask call, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (call.IsCompleted)
        {
            return call;
        }

        var task = call.AsTask();
        ObserveFaults(task);
        return new ValueTask(task.WaitAsync(timeout, timeProvider, cancellationToken));
    }

    /// <summary>Reads the exception of a task that may be abandoned, so a late failure is not an unobserved task exception.</summary>
    public static void ObserveFaults(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
