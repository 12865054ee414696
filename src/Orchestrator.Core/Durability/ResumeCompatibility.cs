namespace Orchestrator.Core.Durability;

/// <summary>Whether a run checkpointed on one definition can resume on another (<see cref="WorkflowDiff"/>).</summary>
public enum ResumeCompatibility
{
    /// <summary>The definitions are the same (equal canonical hashes): the run resumes as it is.</summary>
    Unchanged,

    /// <summary>They differ and the new one plans: the run resumes on it only with <see cref="ResumeOptions.AllowDefinitionChange"/>.</summary>
    RequiresAllowDefinitionChange,

    /// <summary>The new definition does not plan: no resume continues on it, whatever the options.</summary>
    Refused,
}
