namespace Orchestrator.Core.Memory;

/// <summary>How memory is injected into runs and saved after them.</summary>
public sealed class MemoryOptions
{
    /// <summary>Whether runs read and write memory at all (when a memory store is registered). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The most tokens the memory context may take, a hard ceiling: an entry that does not fit is left out, whatever
    /// the other settings say (the stored engine always added its three newest runs, even over budget). Default 800.
    /// </summary>
    public int TokenBudget { get; set; } = 800;

    /// <summary>
    /// The recent runs placed first, before the user's lasting memories, as far as the budget allows. Default 1, so
    /// the last run is remembered before anything else.
    /// </summary>
    public int MinRecentRuns { get; set; } = 1;

    /// <summary>The most recent runs the context may hold. Default 5.</summary>
    public int MaxRecentRuns { get; set; } = 5;

    /// <summary>The most lasting user memories the context may hold. Default 5.</summary>
    public int MaxUserMemories { get; set; } = 5;

    /// <summary>Whether each finished run is summarised by the LLM and saved. Default true.</summary>
    public bool SummarizeRuns { get; set; } = true;

    /// <summary>The model the summariser asks for; the LLM client's default when null.</summary>
    public string? SummaryModel { get; set; }

    /// <summary>The most tokens the summary reply may have. Default 400.</summary>
    public int SummaryMaxTokens { get; set; } = 400;

    internal MemoryOptions Clone() => (MemoryOptions)MemberwiseClone();

    internal bool SameAs(MemoryOptions other) =>
        Enabled == other.Enabled && TokenBudget == other.TokenBudget && MinRecentRuns == other.MinRecentRuns
        && MaxRecentRuns == other.MaxRecentRuns && MaxUserMemories == other.MaxUserMemories && SummarizeRuns == other.SummarizeRuns
        && SummaryModel == other.SummaryModel && SummaryMaxTokens == other.SummaryMaxTokens;

    internal void FindProblems(List<string> problems)
    {
        if (TokenBudget < 0)
        {
            problems.Add($"Memory.{nameof(TokenBudget)} must not be negative (was {TokenBudget}).");
        }

        if (MinRecentRuns < 0 || MaxRecentRuns < 0 || MaxUserMemories < 0)
        {
            problems.Add($"Memory.{nameof(MinRecentRuns)}, {nameof(MaxRecentRuns)} and {nameof(MaxUserMemories)} must not be negative (were {MinRecentRuns}, {MaxRecentRuns}, {MaxUserMemories}).");
        }

        if (MinRecentRuns > MaxRecentRuns)
        {
            problems.Add($"Memory.{nameof(MinRecentRuns)} ({MinRecentRuns}) must not exceed {nameof(MaxRecentRuns)} ({MaxRecentRuns}).");
        }

        if (SummaryMaxTokens < 1)
        {
            problems.Add($"Memory.{nameof(SummaryMaxTokens)} must be at least 1 (was {SummaryMaxTokens}).");
        }
    }
}
