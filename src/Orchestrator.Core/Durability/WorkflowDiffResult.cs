using Orchestrator.Core.Diagnostics;

namespace Orchestrator.Core.Durability;

/// <summary>What changed between two definitions, and whether a run checkpointed on the old one can resume on the new one.</summary>
public sealed record WorkflowDiffResult
{
    /// <summary>The old definition's hash (<see cref="DefinitionHash"/>), the one a checkpoint stores.</summary>
    public required string OldHash { get; init; }

    /// <summary>The new definition's hash.</summary>
    public required string NewHash { get; init; }

    /// <summary>Whether the definitions are the same (equal hashes).</summary>
    public bool Identical => string.Equals(OldHash, NewHash, StringComparison.Ordinal);

    /// <summary>Ids of the top-level steps only the new definition has, in its order.</summary>
    public required IReadOnlyList<string> AddedSteps { get; init; }

    /// <summary>Ids of the top-level steps only the old definition has, in its order.</summary>
    public required IReadOnlyList<string> RemovedSteps { get; init; }

    /// <summary>The steps both have whose definition changed (a change inside a loop, group or scatter shows on its container).</summary>
    public required IReadOnlyList<StepChange> ChangedSteps { get; init; }

    /// <summary>The agent-level fields that changed (<c>agent_name</c>, <c>input_schema</c>, <c>output_schema</c>, ...).</summary>
    public required IReadOnlyList<string> ChangedFields { get; init; }

    /// <summary>Whether a run checkpointed on the old definition can resume on the new one.</summary>
    public required ResumeCompatibility Resume { get; init; }

    /// <summary>One sentence saying why, in the words of the resume rule.</summary>
    public required string ResumeReason { get; init; }

    /// <summary>What a resume on the new definition does with the run's steps (outputs kept, steps run, records dropped).</summary>
    public required IReadOnlyList<string> ResumeNotes { get; init; }

    /// <summary>The diagnostics of planning the new definition (errors make <see cref="Resume"/> <see cref="ResumeCompatibility.Refused"/>).</summary>
    public required IReadOnlyList<WorkflowDiagnostic> NewDiagnostics { get; init; }
}
