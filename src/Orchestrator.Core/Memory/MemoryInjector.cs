using System.Globalization;
using System.Text;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Memory;

/// <summary>
/// Builds a run's memory context from the store within the token budget. Order of choice: the newest
/// <see cref="MemoryOptions.MinRecentRuns"/> runs, then the user's lasting memories by importance, then more recent runs
/// up to <see cref="MemoryOptions.MaxRecentRuns"/>. The budget is a hard ceiling: an entry that does not fit is left out
/// (a smaller, later one may still fit), and the whole text is counted at the end so the ceiling holds for any
/// tokenizer, not only for the sum of the parts.
/// </summary>
internal static class MemoryInjector
{
    private const string RunsHeader = "Recent runs (newest first):";
    private const string UserHeader = "What you know about this user:";

    public static async ValueTask<InjectedMemory> BuildAsync(IMemoryStore store, ITokenEstimator estimator, MemoryOptions options, string userId, string agentId, CancellationToken cancellationToken)
    {
        var runs = options.MaxRecentRuns == 0 ? [] : await store.GetRecentRunsAsync(userId, agentId, options.MaxRecentRuns, cancellationToken).ConfigureAwait(false);
        var users = options.MaxUserMemories == 0 ? [] : await store.GetUserMemoriesAsync(userId, agentId, options.MaxUserMemories, cancellationToken).ConfigureAwait(false);

        // The store is the host's: its answers are checked, so a store that ignores the filter never leaks another
        // user's or agent's memories into this run.
        var ownRuns = runs.Where(r => r.UserId == userId && r.AgentId == agentId).OrderByDescending(r => r.RunNumber).Take(options.MaxRecentRuns).ToList();
        var ownUser = users.Where(m => m.UserId == userId && (m.AgentId is null || m.AgentId == agentId)).Take(options.MaxUserMemories).ToList();

        var candidates = new List<(bool IsRun, int Order, string Line)>();
        var order = 0;
        foreach (var run in ownRuns.Take(options.MinRecentRuns))
        {
            candidates.Add((true, order++, RunLine(run)));
        }

        foreach (var memory in ownUser)
        {
            candidates.Add((false, order++, "- " + OneLine(memory.Content)));
        }

        foreach (var run in ownRuns.Skip(options.MinRecentRuns))
        {
            candidates.Add((true, order++, RunLine(run)));
        }

        var chosen = new List<(bool IsRun, int Order, string Line)>();
        foreach (var candidate in candidates)
        {
            chosen.Add(candidate);
            if (estimator.CountTokens(Render(chosen)) > options.TokenBudget)
            {
                chosen.RemoveAt(chosen.Count - 1);
            }
        }

        var text = Render(chosen);
        var tokens = text.Length == 0 ? 0 : estimator.CountTokens(text);
        return new InjectedMemory(text, tokens, chosen.Count(c => c.IsRun), chosen.Count(c => !c.IsRun), ownRuns);
    }

    /// <summary>Past runs first (newest first), then what is known about the user.</summary>
    private static string Render(List<(bool IsRun, int Order, string Line)> chosen)
    {
        if (chosen.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        AppendSection(builder, RunsHeader, chosen.Where(c => c.IsRun));
        AppendSection(builder, UserHeader, chosen.Where(c => !c.IsRun));
        return builder.ToString().TrimEnd();
    }

    private static void AppendSection(StringBuilder builder, string header, IEnumerable<(bool IsRun, int Order, string Line)> lines)
    {
        var first = true;
        foreach (var (isRun, _, line) in lines.OrderBy(l => l.IsRun ? 0 : l.Order))
        {
            if (first)
            {
                builder.Append(header).Append('\n');
                first = false;
            }

            builder.Append(line).Append('\n');
        }

        if (!first)
        {
            builder.Append('\n');
        }
    }

    private static string RunLine(RunMemory run)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"- Run {run.RunNumber} ({run.CreatedAt.UtcDateTime:yyyy-MM-dd}, {run.Status}): {OneLine(run.Summary)}");
        if (run.KeyOutcomes.Count > 0)
        {
            builder.Append(" Outcomes: ").Append(string.Join("; ", run.KeyOutcomes.Select(OneLine))).Append('.');
        }

        if (run.Suggestions.Count > 0)
        {
            builder.Append(" Suggestions: ").Append(string.Join("; ", run.Suggestions.Select(OneLine))).Append('.');
        }

        return builder.ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
