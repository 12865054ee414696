using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Memory;

/// <summary>The memory context built for one run, and what it was built from.</summary>
/// <remarks>
/// Built from chosen lines, the text is made when it is first read: a run whose steps never ask an LLM (and that keeps
/// no checkpoint) never reads it, while its token count, known from the lines' lengths, is reported either way.
/// </remarks>
internal sealed class InjectedMemory
{
    private readonly List<(bool IsRun, string Line)>? _lines;
    private string? _context;

    /// <summary>A memory whose text is already made (a resumed run's, as its checkpoint kept it).</summary>
    /// <param name="context">The text placed in LLM prompts and <c>{{memory.context}}</c>.</param>
    /// <param name="tokens">The tokens of <paramref name="context"/>.</param>
    /// <param name="runEntries">The past-run summaries in the text.</param>
    /// <param name="userEntries">The lasting user memories in the text.</param>
    /// <param name="recentRuns">The recent runs read from the store.</param>
    public InjectedMemory(string context, int tokens, int runEntries, int userEntries, IReadOnlyList<RunMemory> recentRuns)
        : this(context, null, tokens, runEntries, userEntries, recentRuns)
    {
    }

    /// <summary>A memory whose text is made from <paramref name="lines"/> when first read (<see cref="MemoryInjector.Text"/>).</summary>
    public InjectedMemory(List<(bool IsRun, string Line)> lines, int tokens, int runEntries, int userEntries, IReadOnlyList<RunMemory> recentRuns)
        : this(null, lines, tokens, runEntries, userEntries, recentRuns)
    {
    }

    private InjectedMemory(string? context, List<(bool IsRun, string Line)>? lines, int tokens, int runEntries, int userEntries, IReadOnlyList<RunMemory> recentRuns)
    {
        _context = context;
        _lines = lines;
        Tokens = tokens;
        RunEntries = runEntries;
        UserEntries = userEntries;
        RecentRuns = recentRuns;
    }

    /// <summary>The text placed in LLM prompts and <c>{{memory.context}}</c>; empty when there is nothing to remember.</summary>
    public string Context
    {
        get
        {
            if (Volatile.Read(ref _context) is { } context)
            {
                return context;
            }

            // Two readers that race both make the same text; one of them is kept.
            var made = MemoryInjector.Text(_lines!);
            return Interlocked.CompareExchange(ref _context, made, null) ?? made;
        }
    }

    /// <summary>The tokens of <see cref="Context"/>, by the run's token estimator.</summary>
    public int Tokens { get; }

    /// <summary>The past-run summaries in the context.</summary>
    public int RunEntries { get; }

    /// <summary>The lasting user memories in the context.</summary>
    public int UserEntries { get; }

    /// <summary>The recent runs read from the store (all of them, also those left out for the budget): the summariser looks for recurring errors in them.</summary>
    public IReadOnlyList<RunMemory> RecentRuns { get; }

    public int Entries => RunEntries + UserEntries;

    /// <summary>The <c>{{memory.*}}</c> values, as checkpoints keep them: <c>context</c>, <c>tokens</c>, <c>entries</c>, <c>run_entries</c>, <c>user_entries</c>.</summary>
    public JsonElement ToJson() => JsonValues.Write(static (writer, memory) =>
    {
        writer.WriteStartObject();
        writer.WriteString("context", memory.Context);
        writer.WriteNumber("tokens", memory.Tokens);
        writer.WriteNumber("entries", memory.Entries);
        writer.WriteNumber("run_entries", memory.RunEntries);
        writer.WriteNumber("user_entries", memory.UserEntries);
        writer.WriteEndObject();
    }, this);
}
