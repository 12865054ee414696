using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;

namespace Orchestrator.Core.Execution;

/// <summary>Runs workflows: the library's entry point.</summary>
public interface IWorkflowOrchestrator
{
    /// <summary>Plans and runs a workflow.</summary>
    /// <param name="definition">The workflow; planning errors reject the run.</param>
    /// <param name="request">Who runs it, with which inputs.</param>
    /// <param name="cancellationToken">Cancels the run; running steps see it promptly.</param>
    /// <returns>How the run ended.</returns>
    ValueTask<WorkflowExecutionResult> ExecuteAsync(WorkflowDefinition definition, WorkflowExecutionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Runs a prepared plan (plans are immutable and reusable across runs).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="request">Who runs it, with which inputs.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>How the run ended.</returns>
    ValueTask<WorkflowExecutionResult> ExecuteAsync(ExecutionPlan plan, WorkflowExecutionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Runs a prepared plan, streaming what happens; the last event carries the same result <see cref="ExecuteAsync(ExecutionPlan, WorkflowExecutionRequest, CancellationToken)"/> returns.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="request">Who runs it, with which inputs.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The events, ending with an <see cref="ExecutionFinishedEvent"/>. A consumer that stops reading early cancels the run.</returns>
    IAsyncEnumerable<ExecutionEvent> ExecuteStreamingAsync(ExecutionPlan plan, WorkflowExecutionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Records an approver's decision for a suspended run.</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the approval is now settled (and the run can be resumed).</returns>
    /// <exception cref="InvalidOperationException">No suspended run waits for that approval, or the approver may not decide it.</exception>
    ValueTask<bool> SubmitApprovalAsync(ApprovalDecision decision, CancellationToken cancellationToken = default);

    /// <summary>Continues a suspended run: finished steps are not run again, settled approvals go on, unsettled ones suspend again.</summary>
    /// <param name="executionId">The suspended run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>How the run ended this time.</returns>
    /// <exception cref="InvalidOperationException">No suspended run has that id.</exception>
    ValueTask<WorkflowExecutionResult> ResumeAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Continues a suspended run, or with a checkpoint store a run known only to the store (suspended, or running when
    /// its process died): its stored definition is loaded and planned, finished steps are not run again and their
    /// outputs are reused, steps that were running run again with the same idempotency keys.
    /// </summary>
    /// <param name="executionId">The run.</param>
    /// <param name="options">On which definition to continue; the stored one when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>
    /// How the run ended this time; for a run that had already finished (a host resuming after a crash that came after
    /// the run's end), its stored result, with nothing run again; <see cref="ExecutionStatus.Rejected"/> with
    /// <c>DEFINITION_CHANGED</c>, <c>CHECKPOINT_CORRUPT</c> or <c>INVALID_WORKFLOW</c> when it cannot continue.
    /// </returns>
    /// <exception cref="InvalidOperationException">No suspended or checkpointed run has that id, or it is running here.</exception>
    ValueTask<WorkflowExecutionResult> ResumeAsync(string executionId, Core.Durability.ResumeOptions? options, CancellationToken cancellationToken = default);
}
