namespace Orchestrator.Core.Execution;

/// <summary>How a run ended. Only <see cref="Succeeded"/> means every step that had to run succeeded.</summary>
public enum ExecutionStatus
{
    /// <summary>Every step that had to run succeeded (skipped steps were meant to be skipped).</summary>
    Succeeded,

    /// <summary>The run finished, but some steps failed under <c>continueOnError</c> or were replaced by their <c>fallback</c>.</summary>
    PartiallySucceeded,

    /// <summary>A step failed and nothing could stand in for it; steps that had not started did not run.</summary>
    Failed,

    /// <summary>The caller cancelled the run.</summary>
    Cancelled,

    /// <summary>The run waits for approvals; <see cref="IWorkflowOrchestrator.ResumeAsync(string, CancellationToken)"/> continues it once they are settled.</summary>
    Suspended,

    /// <summary>
    /// The orchestrator refused the run before any step started: invalid inputs (<c>INVALID_INPUT</c>), a workflow that
    /// cannot be planned (<c>INVALID_WORKFLOW</c>), or an orchestrator switched off (<c>ORCHESTRATOR_DISABLED</c>, so the
    /// host can fall back).
    /// </summary>
    Rejected,
}
