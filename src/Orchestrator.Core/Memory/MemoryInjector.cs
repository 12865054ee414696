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

    public static async ValueTask<InjectedMemory> BuildAsync(IMemoryStore store, ITokenEstimator estimator, MemoryOptions options, RunLineCache lines, string userId, string agentId, CancellationToken cancellationToken)
    {
        var runs = options.MaxRecentRuns == 0 ? [] : await store.GetRecentRunsAsync(userId, agentId, options.MaxRecentRuns, cancellationToken).ConfigureAwait(false);
        var users = options.MaxUserMemories == 0 ? [] : await store.GetUserMemoriesAsync(userId, agentId, options.MaxUserMemories, cancellationToken).ConfigureAwait(false);

        // The store is the host's: its answers are checked, so a store that ignores the filter never leaks another
        // user's or agent's memories into this run. An answer that is already right (the in-memory store's, each run)
        // is used as it is.
        var ownRuns = IsOwnNewestFirst(runs, userId, agentId, options.MaxRecentRuns) ? runs : OwnNewestFirst(runs, userId, agentId, options.MaxRecentRuns);

        var ownUser = users.Count == 0 ? null : OwnUserMemories(users, userId, agentId, options.MaxUserMemories);

        // Candidates in order of choice: the newest runs first, then the user's memories, then more runs.
        var userCount = ownUser?.Count ?? 0;
        var candidates = new List<(bool IsRun, string Line)>(ownRuns.Count + userCount);
        for (var i = 0; i < Math.Min(options.MinRecentRuns, ownRuns.Count); i++)
        {
            candidates.Add((true, lines.GetOrRender(ownRuns[i], RunLine)));
        }

        for (var i = 0; i < userCount; i++)
        {
            candidates.Add((false, "- " + OneLine(ownUser![i].Content)));
        }

        for (var i = options.MinRecentRuns; i < ownRuns.Count; i++)
        {
            candidates.Add((true, lines.GetOrRender(ownRuns[i], RunLine)));
        }

        if (estimator is CharacterTokenEstimator)
        {
            // The default estimator counts the text's length, known without the text: it is made when first read
            // (InjectedMemory.Context), and a run that never reads it never makes it.
            var length = ChooseByLength(candidates, options.TokenBudget);
            var chosenRuns = CountRuns(candidates);
            return new InjectedMemory(candidates, CharacterTokenEstimator.Count(length), chosenRuns, candidates.Count - chosenRuns, ownRuns);
        }

        var chosen = new List<(bool IsRun, string Line)>(candidates.Count);
        ChooseByRendering(estimator, candidates, chosen, options.TokenBudget);
        var text = Text(chosen);
        var runEntries = CountRuns(chosen);
        return new InjectedMemory(text, text.Length == 0 ? 0 : estimator.CountTokens(text), runEntries, chosen.Count - runEntries, ownRuns);
    }

    /// <summary>The text of <paramref name="chosen"/>: past runs first (newest first, in the order chosen), then what is known about the user, each under its header.</summary>
    public static string Text(List<(bool IsRun, string Line)> chosen) =>
        chosen.Count == 0 ? string.Empty : Render(new StringBuilder(RenderedLength(chosen) + 2), chosen).ToString();

    private static int CountRuns(List<(bool IsRun, string Line)> chosen)
    {
        var runs = 0;
        foreach (var (isRun, _) in chosen)
        {
            runs += isRun ? 1 : 0;
        }

        return runs;
    }

    /// <summary>
    /// Chooses for the default estimator, which counts a quarter of the text's length: the length each candidate would
    /// make is added up instead of rendered (this runs before every run, over the same few recent runs). What is chosen
    /// is kept in <paramref name="candidates"/>, in order, and the rest removed; returns the length of the text chosen.
    /// </summary>
    private static int ChooseByLength(List<(bool IsRun, string Line)> candidates, int budget)
    {
        var lengths = default(SectionLengths);
        var kept = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var tried = lengths.With(candidates[i]);
            if (CharacterTokenEstimator.Count(tried.Length) <= budget)
            {
                candidates[kept++] = candidates[i];
                lengths = tried;
            }
        }

        candidates.RemoveRange(kept, candidates.Count - kept);
        return lengths.Length;
    }

    /// <summary>Whether <paramref name="runs"/> are all the user's and agent's, newest first, and no more than <paramref name="max"/>.</summary>
    private static bool IsOwnNewestFirst(IReadOnlyList<RunMemory> runs, string userId, string agentId, int max)
    {
        if (runs.Count > max)
        {
            return false;
        }

        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].UserId != userId || runs[i].AgentId != agentId || (i > 0 && runs[i - 1].RunNumber < runs[i].RunNumber))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The user's memories among <paramref name="users"/> that this agent may read, at most <paramref name="max"/>.</summary>
    private static List<UserMemory> OwnUserMemories(IReadOnlyList<UserMemory> users, string userId, string agentId, int max)
    {
        var own = new List<UserMemory>(Math.Min(users.Count, max));
        foreach (var memory in users)
        {
            if (own.Count < max && memory.UserId == userId && (memory.AgentId is null || memory.AgentId == agentId))
            {
                own.Add(memory);
            }
        }

        return own;
    }

    /// <summary>The user's and agent's runs among <paramref name="runs"/>, newest first (stable: equal numbers keep the store's order), at most <paramref name="max"/>.</summary>
    private static List<RunMemory> OwnNewestFirst(IReadOnlyList<RunMemory> runs, string userId, string agentId, int max)
    {
        var own = new List<RunMemory>(Math.Min(runs.Count, max));
        var sorted = true;
        foreach (var run in runs)
        {
            if (run.UserId == userId && run.AgentId == agentId)
            {
                sorted &= own.Count == 0 || own[^1].RunNumber >= run.RunNumber;
                own.Add(run);
            }
        }

        if (!sorted)
        {
            own = [.. own.OrderByDescending(r => r.RunNumber)];
        }

        if (own.Count > max)
        {
            own.RemoveRange(max, own.Count - max);
        }

        return own;
    }

    /// <summary>
    /// Chooses for a host's estimator: each candidate is tried by rendering the text it would make (one reused builder)
    /// and counting that whole text, so the ceiling holds for any tokenizer.
    /// </summary>
    private static void ChooseByRendering(ITokenEstimator estimator, List<(bool IsRun, string Line)> candidates, List<(bool IsRun, string Line)> chosen, int budget)
    {
        // Sized for every candidate at once: a builder that stays one chunk is cleared without allocating, where one
        // grown in chunks allocates a fresh array of its whole length on every clear.
        var capacity = RunsHeader.Length + UserHeader.Length + 4;
        foreach (var (_, line) in candidates)
        {
            capacity += line.Length + 1;
        }

        var builder = new StringBuilder(capacity);
        foreach (var candidate in candidates)
        {
            chosen.Add(candidate);
            if (estimator.CountTokens(Render(builder, chosen).ToString()) > budget)
            {
                chosen.RemoveAt(chosen.Count - 1);
            }
        }
    }

    /// <summary>The length <see cref="Render"/> makes of <paramref name="chosen"/>.</summary>
    private static int RenderedLength(List<(bool IsRun, string Line)> chosen)
    {
        var lengths = default(SectionLengths);
        foreach (var line in chosen)
        {
            lengths = lengths.With(line);
        }

        return lengths.Length;
    }

    /// <summary>
    /// Renders into <paramref name="builder"/> (cleared first): past runs first (newest first, in the order chosen), then
    /// what is known about the user, each under its header; trailing white space trimmed.
    /// </summary>
    private static StringBuilder Render(StringBuilder builder, List<(bool IsRun, string Line)> chosen)
    {
        builder.Clear();
        AppendSection(builder, RunsHeader, chosen, runs: true);
        AppendSection(builder, UserHeader, chosen, runs: false);
        var end = builder.Length;
        while (end > 0 && char.IsWhiteSpace(builder[end - 1]))
        {
            end--;
        }

        builder.Length = end;
        return builder;
    }

    private static void AppendSection(StringBuilder builder, string header, List<(bool IsRun, string Line)> chosen, bool runs)
    {
        var first = true;
        foreach (var (isRun, line) in chosen)
        {
            if (isRun != runs)
            {
                continue;
            }

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
        // The date as yyyy-MM-dd from its parts: a custom date format is parsed on every call, for each recent run of every run.
        var date = run.CreatedAt.UtcDateTime;
        var line = string.Create(CultureInfo.InvariantCulture, $"- Run {run.RunNumber} ({date.Year:D4}-{date.Month:D2}-{date.Day:D2}, {run.Status}): {OneLine(run.Summary)}");
        if (run.KeyOutcomes.Count > 0)
        {
            line = string.Concat(line, " Outcomes: ", string.Join("; ", run.KeyOutcomes.Select(OneLine)), ".");
        }

        if (run.Suggestions.Count > 0)
        {
            line = string.Concat(line, " Suggestions: ", string.Join("; ", run.Suggestions.Select(OneLine)), ".");
        }

        return line;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>
    /// The length of the rendered text as lines are chosen: each section is its header, its lines and a blank line, each
    /// line ended by a new line; the text's trailing white space is cut, which ends inside its last line (every line
    /// starts with "- ").
    /// </summary>
    private readonly record struct SectionLengths(int Runs, string? LastRun, int User, string? LastUser)
    {
        public int Length
        {
            get
            {
                if ((LastUser ?? LastRun) is not { } last)
                {
                    return 0;
                }

                var length = (LastRun is null ? 0 : RunsHeader.Length + 1 + Runs + 1) + (LastUser is null ? 0 : UserHeader.Length + 1 + User + 1);
                return length - 2 - (last.Length - last.AsSpan().TrimEnd().Length);
            }
        }

        public SectionLengths With((bool IsRun, string Line) chosen) => chosen.IsRun
            ? this with { Runs = Runs + chosen.Line.Length + 1, LastRun = chosen.Line }
            : this with { User = User + chosen.Line.Length + 1, LastUser = chosen.Line };
    }
}
