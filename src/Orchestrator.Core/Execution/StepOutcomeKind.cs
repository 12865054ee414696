namespace Orchestrator.Core.Execution;

/// <summary>What a step attempt came to.</summary>
public enum StepOutcomeKind
{
    /// <summary>It succeeded.</summary>
    Succeeded,

    /// <summary>It failed.</summary>
    Failed,

    /// <summary>It decided not to run (for example a validation with <c>onValidationFail: skip</c>).</summary>
    Skipped,

    /// <summary>It waits for something outside the run (an approval).</summary>
    Suspended,
}
