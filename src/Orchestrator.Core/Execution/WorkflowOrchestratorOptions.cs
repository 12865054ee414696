namespace Orchestrator.Core.Execution;

/// <summary>
/// How the orchestrator runs workflows. An orchestrator built by <c>AddWorkflowOrchestrator</c> reads the current
/// options at the start of every run (through <c>IOptionsMonitor</c>), so a change applies to the next run without a
/// restart; a run keeps the options it started with to its end.
/// </summary>
public sealed class WorkflowOrchestratorOptions
{
    /// <summary>The <see cref="WorkflowExecutionResult.ErrorCode"/> of a run refused because <see cref="Enabled"/> is off.</summary>
    public const string DisabledErrorCode = "ORCHESTRATOR_DISABLED";

    /// <summary>
    /// The admin switch. When <see langword="false"/>, the orchestrator refuses new runs (and resumptions of suspended
    /// ones) with <see cref="ExecutionStatus.Rejected"/> and the error code <see cref="DisabledErrorCode"/>: no step
    /// runs and no plugin or LLM is called, so the host can fall back. Runs already going finish. Default
    /// <see langword="true"/>.
    /// </summary>
    public bool Enabled { get; set; } = true;

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
        var problems = FindProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid orchestrator options: " + string.Join(" ", problems));
        }
    }

    /// <summary>Every problem of the options, each naming the option; empty when they can work.</summary>
    internal List<string> FindProblems()
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

        return problems;
    }

    /// <summary>A copy that later changes to this instance do not reach: what one run uses from start to end.</summary>
    internal WorkflowOrchestratorOptions Snapshot() => (WorkflowOrchestratorOptions)MemberwiseClone();

    /// <summary>
    /// Whether the settings a runtime is built from equal <paramref name="other"/>'s. <see cref="Enabled"/> is left
    /// out: it is checked per run and needs no rebuild. Keep in step with the properties above.
    /// </summary>
    internal bool HasSameRuntimeSettings(WorkflowOrchestratorOptions other) =>
        MaxParallelism == other.MaxParallelism
        && DefaultStepTimeout == other.DefaultStepTimeout
        && MaxSubWorkflowDepth == other.MaxSubWorkflowDepth;
}
