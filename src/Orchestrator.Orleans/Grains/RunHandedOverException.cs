namespace Orchestrator.Orleans.Grains;

/// <summary>A write of a run this silo handed over to another (see <see cref="RunFence"/>).</summary>
internal sealed class RunHandedOverException : IOException
{
    public RunHandedOverException()
    {
    }

    public RunHandedOverException(string message)
        : base(message)
    {
    }

    public RunHandedOverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
