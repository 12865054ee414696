namespace Orchestrator.Core.Tests.TestSupport;

/// <summary>
/// Tests whose outcome depends on a real timer firing in time (a step timeout ending CPU-bound work between items) run
/// alone: on two cores, other test classes' CPU-bound work can keep the thread pool busy long enough that the timer's
/// callback runs only after the work is done (seen in CI: a 50 ms timeout not observed in 957 ms).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockTests
{
    public const string Name = "Wall clock";
}
