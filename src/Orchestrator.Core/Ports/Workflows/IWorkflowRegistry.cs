using Orchestrator.Core.Model;

namespace Orchestrator.Core.Ports;

/// <summary>The host's workflows, looked up by id for <c>sub_workflow</c> steps with a <c>workflowId</c>.</summary>
public interface IWorkflowRegistry
{
    /// <summary>Finds a workflow.</summary>
    /// <param name="workflowId">The id.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The workflow, or <see langword="null"/> when there is none with that id.</returns>
    ValueTask<WorkflowDefinition?> GetWorkflowAsync(string workflowId, CancellationToken cancellationToken = default);
}
