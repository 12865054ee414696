using Orchestrator.Core.Model;

namespace Orchestrator.Core.Durability;

/// <summary>How a checkpointed run is resumed.</summary>
public sealed record ResumeOptions
{
    /// <summary>
    /// The definition the host expects the run to continue on. Null (the default) continues on the stored definition.
    /// When given and its hash differs from the stored one, the resume is refused unless
    /// <see cref="AllowDefinitionChange"/> is true.
    /// </summary>
    public WorkflowDefinition? Definition { get; init; }

    /// <summary>
    /// Whether the run may continue on a <see cref="Definition"/> that differs from the one it started with. The new
    /// definition is planned first (planning errors refuse the resume) and replaces the stored one; finished steps
    /// whose ids it still has keep their outputs, the others run.
    /// </summary>
    public bool AllowDefinitionChange { get; init; }
}
