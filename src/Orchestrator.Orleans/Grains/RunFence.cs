using System.Collections.Concurrent;

namespace Orchestrator.Orleans.Grains;

/// <summary>
/// The runs a silo has let go of: once a run grain hands its run over (its silo shuts down, or Orleans deactivates
/// it), the silo's checkpoint store refuses that run's writes, so the run stops without recording an end and another
/// silo resumes it from what was stored. One per silo.
/// </summary>
internal sealed class RunFence : IDisposable
{
    private readonly ConcurrentDictionary<string, byte> _fenced = new(StringComparer.Ordinal);
    private volatile bool _all;

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _created = new(StringComparer.Ordinal);

    /// <summary>Completes when the run's header is stored through this silo's store (see <see cref="Created"/>).</summary>
    public Task WhenCreated(string executionId) =>
        _created.GetOrAdd(executionId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The run's header is stored: a start that returns now is durable.</summary>
    public void Created(string executionId)
    {
        if (_created.TryRemove(executionId, out var created))
        {
            created.TrySetResult();
        }
    }

    /// <summary>Forgets a wait for a header (the run ended without one).</summary>
    public void Forget(string executionId) => _created.TryRemove(executionId, out _);

    /// <summary>Lets the run write again (a new activation on this silo takes it up).</summary>
    public void Admit(string executionId) => _fenced.TryRemove(executionId, out _);

    /// <summary>Refuses the run's writes from now on.</summary>
    public void Fence(string executionId) => _fenced[executionId] = 0;

    private readonly CancellationTokenSource _leaving = new();

    /// <summary>Cancelled when the silo leaves: every run still going on here stops and is handed over.</summary>
    public CancellationToken Leaving => _leaving.Token;

    /// <summary>Whether the silo is leaving (its runs are handed over, no new one starts here).</summary>
    public bool IsLeaving => _all;

    /// <summary>
    /// Refuses every run's writes from now on and stops the runs going on here: the silo is leaving (its host is
    /// stopping; or, in tests, it plays dead).
    /// </summary>
    public void FenceAll()
    {
        _all = true;
        try
        {
            _leaving.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The silo's container is already gone: nothing runs here any more.
        }
    }

    public void Dispose() => _leaving.Dispose();

    /// <summary>Whether the run's writes are refused.</summary>
    public bool IsFenced(string executionId) => _all || _fenced.ContainsKey(executionId);
}
