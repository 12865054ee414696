using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary><c>sub_workflow</c>: runs another workflow, from the host's registry or inline, as one step.</summary>
public sealed record SubWorkflowStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.SubWorkflow;

    /// <summary>The id of a workflow in the host's registry; unused when <see cref="WorkflowSteps"/> is set.</summary>
    public string? WorkflowId { get; init; }

    /// <summary>An inline workflow.</summary>
    public EquatableArray<WorkflowStep> WorkflowSteps { get; init; }

    /// <summary>The child's inputs: <c>{ "name": "{{ref}}" }</c>.</summary>
    [JsonInclude]
    internal TemplateValue? Inputs { get; init; }

    /// <summary>The child's inputs: <c>{ "name": "{{ref}}" }</c>. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? InputsJson => ExpressionJson.Of(Inputs);

    /// <summary>How the child's outputs map to this step's data: <c>{ "field": "childStep.data.x" }</c>.</summary>
    [JsonConverter(typeof(LiteralValueJsonConverter))]
    [JsonInclude]
    internal LiteralValue? OutputMapping { get; init; }

    /// <summary>How the child's outputs map to this step's data: <c>{ "field": "childStep.data.x" }</c>. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? OutputMappingJson => OutputMapping?.Value;

    /// <summary>Whether the child sees this run's step outputs and variables.</summary>
    public bool InheritContext { get; init; }

    /// <summary>What happens when the child fails; <see cref="SubWorkflowErrorMode.Throw"/> when absent.</summary>
    public SubWorkflowErrorMode? OnError { get; init; }
}
