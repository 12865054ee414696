using Orchestrator.Orleans.Grains;

namespace Orchestrator.Orleans.Tests.Cluster;

/// <summary>
/// One silo's "process": killing a silo in process leaves its tasks running on the shared thread pool, which a real
/// dead process would not have. <see cref="Die"/> makes the silo do nothing more that anyone can see — its plugins
/// refuse every call and its checkpoint store refuses every write — before Orleans kills it.
/// </summary>
internal sealed class SiloLife(RunFence fence)
{
    private volatile bool _dead;

    public bool IsDead => _dead;

    public void Die()
    {
        _dead = true;
        fence.FenceAll();
    }
}
