namespace Orchestrator.Core.Execution;

/// <summary>The LLM usage of a run: every call counted exactly once.</summary>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Reply tokens.</param>
/// <param name="LlmCalls">The number of LLM calls.</param>
public sealed record ExecutionUsage(long InputTokens, long OutputTokens, int LlmCalls)
{
    /// <summary>All tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;
}
