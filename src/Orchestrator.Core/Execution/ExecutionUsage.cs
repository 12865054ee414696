using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution;

/// <summary>The LLM usage of a run: every call counted exactly once, memory summarisation included.</summary>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Reply tokens.</param>
/// <param name="LlmCalls">The number of LLM calls.</param>
public sealed record ExecutionUsage(long InputTokens, long OutputTokens, int LlmCalls)
{
    /// <summary>All tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>What the calls cost, from <see cref="WorkflowOrchestratorOptions.Pricing"/> (0 for models without a price).</summary>
    public decimal Cost { get; init; }

    /// <summary>The credits the run costs: <c>ceil(TotalTokens / 1000)</c> unless the host registered another <see cref="ICreditCalculator"/>.</summary>
    public long Credits { get; init; }

    /// <summary>Tokens of the memory context injected into the run's prompts (counted once, not per prompt).</summary>
    public int MemoryTokens { get; init; }

    /// <summary>Memory entries (past-run summaries and user memories) in the injected context.</summary>
    public int MemoryEntries { get; init; }
}
