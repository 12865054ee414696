namespace Orchestrator.Core.Model;

/// <summary>Which JSON type name an <see cref="LlmStep"/> was written with; both run the same way.</summary>
public enum LlmStepKind
{
    /// <summary><c>llm_decision</c>.</summary>
    Decision,

    /// <summary><c>ai_processing</c>, as agent builders write it.</summary>
    Processing,
}
