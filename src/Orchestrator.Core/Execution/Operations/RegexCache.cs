using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// Runs the regular expressions that workflows hold (<c>matches</c> conditions, schema <c>pattern</c>) safely:
/// without backtracking (time linear in the input, so <c>(a+)+$</c> cannot hang a run), with a match timeout
/// as a second guard, and never throwing: an invalid or unsupported pattern simply does not match.
/// </summary>
/// <remarks>
/// Why <see cref="RegexOptions.NonBacktracking"/> rather than the backtracking engine with a timeout alone: patterns
/// come from documents and data (an attacker's or an LLM's), and catastrophic backtracking is the usual way a regex
/// hangs a process; the non-backtracking engine rules it out for every pattern it accepts, at the price of refusing
/// back-references and lookarounds (such a pattern never matches, as an invalid one). Linear time is still time: a
/// large input times many items adds up, so each match also has <see cref="ExecutionLimits.RegexMatchTimeout"/> (a
/// timeout fails the step with <see cref="ExecutionLimits.LimitExceededErrorCode"/> through
/// <see cref="OperationGuard"/>), and every match first checks the step's token, so a cancel or a step
/// <c>timeout</c> ends a step made of many matches between two of them.
/// </remarks>
/// <remarks>
/// Patterns written literally in a workflow are compiled once and cached; the cache is bounded so that patterns
/// built from run data cannot grow it without end (past the bound, patterns are compiled per use).
/// </remarks>
internal static class RegexCache
{
    /// <summary>The most patterns kept compiled.</summary>
    internal const int MaxEntries = 256;

    /// <summary>The longest pattern accepted: building an automaton for a huge pattern is itself costly.</summary>
    internal const int MaxPatternLength = 4096;

    /// <summary>The match timeout outside a guarded operation (a <c>when</c> condition); the default of <see cref="ExecutionLimits.RegexMatchTimeout"/>.</summary>
    internal static readonly TimeSpan DefaultMatchTimeout = TimeSpan.FromSeconds(1);

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    // A null value remembers that a pattern is invalid, so it is not parsed again on every item.
    // Keyed by timeout too: a Regex carries its match timeout, and hosts rarely use more than one.
    private static readonly ConcurrentDictionary<(string Pattern, TimeSpan Timeout), Regex?> Cache = new();

    /// <summary>
    /// Whether <paramref name="input"/> matches <paramref name="pattern"/>; false for an invalid pattern or a timeout (which the
    /// running <see cref="OperationGuard"/> records). Throws <see cref="OperationCanceledException"/> when the guarded step is cancelled.
    /// </summary>
    /// <param name="input">The text tested.</param>
    /// <param name="pattern">The pattern.</param>
    /// <param name="cacheable">Whether the pattern is written in the workflow (worth caching) rather than read from data.</param>
    public static bool IsMatch(string input, string pattern, bool cacheable)
    {
        var guard = OperationGuard.Current;
        guard?.CancellationToken.ThrowIfCancellationRequested();
        var timeout = guard?.RegexMatchTimeout ?? DefaultMatchTimeout;
        var regex = cacheable ? GetCached(pattern, timeout) : Create(pattern, timeout);
        if (regex is null)
        {
            return false;
        }

        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            OperationGuard.ReportRegexTimeout();
            return false;
        }
    }

    internal static int Count => Cache.Count;

    private static Regex? GetCached(string pattern, TimeSpan timeout)
    {
        if (Cache.TryGetValue((pattern, timeout), out var cached))
        {
            return cached;
        }

        var regex = Create(pattern, timeout);
        if (Cache.Count < MaxEntries)
        {
            Cache.TryAdd((pattern, timeout), regex);
        }

        return regex;
    }

    private static Regex? Create(string pattern, TimeSpan timeout)
    {
        if (pattern.Length > MaxPatternLength)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, Options, timeout);
        }
        catch (ArgumentException)
        {
            return null; // Malformed pattern (RegexParseException derives from ArgumentException).
        }
        catch (NotSupportedException)
        {
            return null; // Back-references and lookarounds have no non-backtracking form.
        }
    }
}
