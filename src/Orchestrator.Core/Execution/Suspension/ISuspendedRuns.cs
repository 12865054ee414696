using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Execution.Suspension;

/// <summary>
/// Where the orchestrator keeps runs between their suspension and their resumption: in its own memory
/// (<see cref="InMemorySuspendedRuns"/>) or in a checkpoint store (<see cref="DurableRuns"/>). The orchestrator calls
/// every member at the same points of a run whichever it has, so it holds no branch on where runs are kept; a member
/// that has nothing to do for one kind of keeping does nothing.
/// </summary>
internal interface ISuspendedRuns
{
    /// <summary>A new run is about to run its first step (a store records the run's header and attaches its writer).</summary>
    ValueTask StartAsync(ExecutionPlan plan, StepScope scope, CancellationToken cancellationToken);

    /// <summary>
    /// The run's steps are done (or it suspended): makes what was kept final. Returns the status and outcome to report,
    /// which a store that failed to keep the run turns into a failure.
    /// </summary>
    ValueTask<(ExecutionStatus Status, ListRunOutcome Outcome)> FinishAsync(RunContext run, ExecutionStatus status, ListRunOutcome outcome);

    /// <summary>The run ended suspended: keeps it so a decision and a resume can find it (a store has kept it already).</summary>
    void Hold(ExecutionPlan plan, StepScope scope, long started);

    /// <summary>A run held in memory, to name its user and workflow when its resumption is refused; null when none (or kept in a store).</summary>
    RunContext? Peek(string executionId);

    /// <summary>
    /// Takes a suspended run out to continue it: the result has its plan and scope, or why it cannot continue, or
    /// (from a store) the outcome of a run that had already finished. <paramref name="currentRuntime"/> gives the
    /// runtime a run rebuilt from a store runs on (null when the orchestrator was disabled meanwhile).
    /// </summary>
    /// <exception cref="InvalidOperationException">No suspended run has the id, or it cannot be resumed this way.</exception>
    ValueTask<ResumedRun> TakeAsync(string executionId, ResumeOptions? options, Func<OrchestratorRuntime?> currentRuntime, CancellationToken cancellationToken);

    /// <summary>The state of the approval <paramref name="decision"/> is for; null when no suspended run waits for it.</summary>
    ValueTask<WaitingApproval?> FindApprovalAsync(ApprovalDecision decision, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a decision that <see cref="ApprovalRules"/> accepted and that is already recorded in the approval's state:
    /// a store stores it; a run held in memory writes it to its audit trail.
    /// </summary>
    ValueTask KeepDecisionAsync(WaitingApproval waiting, ApprovalDecision decision, CancellationToken cancellationToken);
}
