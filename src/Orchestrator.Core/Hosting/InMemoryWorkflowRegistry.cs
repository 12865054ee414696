using System.Collections.Concurrent;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Hosting;

/// <summary>A workflow registry held in memory.</summary>
public sealed class InMemoryWorkflowRegistry : IWorkflowRegistry
{
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _workflows = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces a workflow.</summary>
    /// <param name="workflowId">The id sub-workflow steps name it by.</param>
    /// <param name="definition">The workflow.</param>
    public void Register(string workflowId, WorkflowDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        ArgumentNullException.ThrowIfNull(definition);
        _workflows[workflowId] = definition;
    }

    /// <inheritdoc />
    public ValueTask<WorkflowDefinition?> GetWorkflowAsync(string workflowId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_workflows.TryGetValue(workflowId, out var definition) ? definition : null);
}
