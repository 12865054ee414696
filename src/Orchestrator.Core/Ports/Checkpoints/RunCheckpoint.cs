using System.Text.Json;
using Orchestrator.Core.Durability;

namespace Orchestrator.Core.Ports;

/// <summary>
/// What a run starts with, written once when it starts: the definition it runs (its canonical JSON and that JSON's
/// SHA-256), the validated inputs and who runs it. A resumed run continues on this definition, never on a newer one
/// unless the host says so.
/// </summary>
public sealed record RunCheckpoint
{
    /// <summary>The run's id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The workflow's id, when it has one.</summary>
    public string? WorkflowId { get; init; }

    /// <summary>The definition as <see cref="Serialization.WorkflowJson.Serialize"/> writes it (compact).</summary>
    public required string DefinitionJson { get; init; }

    /// <summary>The SHA-256 of the UTF-8 <see cref="DefinitionJson"/>, lowercase hex (<see cref="DefinitionHash.Compute(string)"/>).</summary>
    public required string DefinitionHash { get; init; }

    /// <summary>The inputs after validation (defaults filled in).</summary>
    public required JsonElement Inputs { get; init; }

    /// <summary>The user the run acts for.</summary>
    public required string UserId { get; init; }

    /// <summary>The agent whose workflow runs, when known.</summary>
    public string? AgentId { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
