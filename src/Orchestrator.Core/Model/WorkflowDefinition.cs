using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>
/// An agent's workflow: its steps, declared inputs and output fields. Immutable and compared by value, so a definition
/// loaded, saved and loaded again is equal to the first.
/// </summary>
public sealed record WorkflowDefinition
{
    /// <summary>The agent's id, when the document has one.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The agent's name (<c>agent_name</c>).</summary>
    [JsonPropertyName("agent_name")]
    public string? Name { get; init; }

    /// <summary>What the agent does.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The inputs a run supplies (<c>input_schema</c>).</summary>
    [JsonPropertyName("input_schema")]
    public EquatableArray<InputParameter> InputSchema { get; init; }

    /// <summary>The top-level steps, in document order (<c>workflow_steps</c>).</summary>
    [JsonPropertyName("workflow_steps")]
    public EquatableArray<WorkflowStep> Steps { get; init; }

    /// <summary>The final output's fields (<c>output_schema</c>); empty means every step's data, keyed by step id.</summary>
    [JsonPropertyName("output_schema")]
    public EquatableArray<OutputField> OutputSchema { get; init; }
}
