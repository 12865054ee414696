namespace Orchestrator.Core.Durability;

/// <summary>
/// The one statement of when a checkpointed run may continue on another definition, used by the resume itself
/// (<see cref="DurableRuns"/>) and by <see cref="WorkflowDiff"/>, so the two cannot disagree.
/// </summary>
/// <remarks>
/// Definitions are the same when their canonical JSON hashes (<see cref="DefinitionHash"/>) are equal: the run resumes
/// as it is. Otherwise the resume is refused unless <see cref="ResumeOptions.AllowDefinitionChange"/> is set; with it,
/// the new definition must plan without errors, and it replaces the stored one: finished steps whose ids it still has
/// keep their outputs (they are not run again, even when their definition changed), the others run, and records of
/// steps it no longer has are dropped.
/// </remarks>
internal static class DefinitionChangeRule
{
    /// <summary>Whether continuing on <paramref name="givenHash"/> is a definition change for a run stored with <paramref name="storedHash"/>.</summary>
    public static bool IsChange(string storedHash, string givenHash) => !string.Equals(storedHash, givenHash, StringComparison.Ordinal);

    /// <summary>Null when the run may continue on the given definition (planning aside); otherwise why not.</summary>
    /// <param name="executionId">The run, for the message; null when there is no run (a diff).</param>
    /// <param name="storedHash">The hash of the definition the run started on.</param>
    /// <param name="givenHash">The hash of the definition it would continue on.</param>
    /// <param name="allowDefinitionChange">The resume's <see cref="ResumeOptions.AllowDefinitionChange"/>.</param>
    /// <returns>The refusal, or null.</returns>
    public static string? Refusal(string? executionId, string storedHash, string givenHash, bool allowDefinitionChange) =>
        !IsChange(storedHash, givenHash) || allowDefinitionChange
            ? null
            : $"{(executionId is null ? "A run" : $"Run '{executionId}'")} started on definition {storedHash}, not on the one given ({givenHash}); set {nameof(ResumeOptions)}.{nameof(ResumeOptions.AllowDefinitionChange)} to continue it on the new one.";
}
