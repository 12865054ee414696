using System.Collections.Concurrent;

namespace Orchestrator.Orleans.Grains;

/// <summary>
/// The runs a silo has let go of: once a run grain hands its run over (its silo shuts down, or Orleans deactivates
/// it), the silo's checkpoint store refuses that run's writes, so the run stops without recording an end and another
/// silo resumes it from what was stored. One per silo.
/// </summary>
internal sealed class RunFence
{
    private readonly ConcurrentDictionary<string, byte> _fenced = new(StringComparer.Ordinal);

    /// <summary>Lets the run write again (a new activation on this silo takes it up).</summary>
    public void Admit(string executionId) => _fenced.TryRemove(executionId, out _);

    /// <summary>Refuses the run's writes from now on.</summary>
    public void Fence(string executionId) => _fenced[executionId] = 0;

    /// <summary>Whether the run's writes are refused.</summary>
    public bool IsFenced(string executionId) => _fenced.ContainsKey(executionId);
}
