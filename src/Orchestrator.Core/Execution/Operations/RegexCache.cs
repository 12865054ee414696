using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// Runs the regular expressions that workflows hold (<c>matches</c> conditions, schema <c>pattern</c>) safely:
/// without backtracking (time linear in the input, so <c>(a+)+$</c> cannot hang a run), with a match timeout
/// as a second guard, and never throwing: an invalid or unsupported pattern simply does not match.
/// </summary>
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

    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    // A null value remembers that a pattern is invalid, so it is not parsed again on every item.
    private static readonly ConcurrentDictionary<string, Regex?> Cache = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="input"/> matches <paramref name="pattern"/>; false for an invalid pattern or a timeout.</summary>
    /// <param name="input">The text tested.</param>
    /// <param name="pattern">The pattern.</param>
    /// <param name="cacheable">Whether the pattern is written in the workflow (worth caching) rather than read from data.</param>
    public static bool IsMatch(string input, string pattern, bool cacheable)
    {
        var regex = cacheable ? GetCached(pattern) : Create(pattern);
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
            return false;
        }
    }

    internal static int Count => Cache.Count;

    private static Regex? GetCached(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        var regex = Create(pattern);
        if (Cache.Count < MaxEntries)
        {
            Cache.TryAdd(pattern, regex);
        }

        return regex;
    }

    private static Regex? Create(string pattern)
    {
        if (pattern.Length > MaxPatternLength)
        {
            return null;
        }

        try
        {
            return new Regex(pattern, Options, MatchTimeout);
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
