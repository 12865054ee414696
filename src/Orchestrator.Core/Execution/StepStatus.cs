namespace Orchestrator.Core.Execution;

/// <summary>How a step ended.</summary>
public enum StepStatus
{
    /// <summary>The step ran and succeeded.</summary>
    Succeeded,

    /// <summary>The step failed (its result says whether <c>continueOnError</c> or a <c>fallback</c> let the run go on).</summary>
    Failed,

    /// <summary>The step did not run, on purpose; <see cref="StepResult.SkipReason"/> says why.</summary>
    Skipped,

    /// <summary>The step was running or waiting when the run stopped.</summary>
    Cancelled,

    /// <summary>The step waits for approvals.</summary>
    Suspended,

    /// <summary>The step has not started yet: the run is suspended and it waits for a step that is.</summary>
    Pending,
}
