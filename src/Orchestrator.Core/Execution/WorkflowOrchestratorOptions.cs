namespace Orchestrator.Core.Execution;

/// <summary>How the orchestrator runs workflows.</summary>
public sealed class WorkflowOrchestratorOptions
{
    /// <summary>The most steps of one step list running at once (a group's or loop's own limit may be lower). Default 16.</summary>
    public int MaxParallelism { get; set; } = 16;

    /// <summary>The time limit of a step attempt that sets no <c>timeout</c>; none when null.</summary>
    public TimeSpan? DefaultStepTimeout { get; set; }

    /// <summary>How deeply sub-workflows may nest. Default 8.</summary>
    public int MaxSubWorkflowDepth { get; set; } = 8;

    /// <summary>Checks the options, naming every problem.</summary>
    /// <exception cref="ArgumentException">An option has a value that cannot work.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (MaxParallelism < 1)
        {
            problems.Add($"{nameof(MaxParallelism)} must be at least 1 (was {MaxParallelism}).");
        }

        if (DefaultStepTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(DefaultStepTimeout)} must be positive (was {timeout}).");
        }

        if (MaxSubWorkflowDepth < 1)
        {
            problems.Add($"{nameof(MaxSubWorkflowDepth)} must be at least 1 (was {MaxSubWorkflowDepth}).");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid orchestrator options: " + string.Join(" ", problems));
        }
    }
}
