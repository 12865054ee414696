using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Memory;

/// <summary>
/// The memory lines of past runs, kept once made: each run injects its agent's recent runs, so without it every run's
/// line is made again for each of the next runs that injects it (five by default). An entry is used only for a record
/// whose line would read the same (number, date, status, summary, outcomes and suggestions all equal), so a durable store
/// that reads new records each time is served too, and a record that changed is rendered again.
/// </summary>
/// <remarks>
/// A small table indexed by the run's number and day (cheap to hash, unlike its id, and equal for records that read the
/// same), lock free: a slot holds one immutable entry and is replaced whole, so concurrent runs at worst render a line
/// twice. Another run landing in the same slot replaces it. Records are taken as what they are meant to be, immutable:
/// a list changed inside the same record after it was read is not seen.
/// </remarks>
internal sealed class RunLineCache
{
    /// <summary>A power of two: enough for the recent runs of many agents running side by side.</summary>
    private const int Slots = 256;

    private readonly Entry?[] _entries = new Entry?[Slots];

    /// <summary>The line of <paramref name="run"/>: kept, or made by <paramref name="render"/> and kept.</summary>
    public string GetOrRender(RunMemory run, Func<RunMemory, string> render)
    {
        ref var slot = ref _entries[HashCode.Combine(run.RunNumber, run.CreatedAt.UtcTicks / TimeSpan.TicksPerDay) & (Slots - 1)];
        if (Volatile.Read(ref slot) is { } entry && ReadsTheSame(entry.Run, run))
        {
            return entry.Line;
        }

        var line = render(run);
        Volatile.Write(ref slot, new Entry(run, line));
        return line;
    }

    /// <summary>Whether the two records make the same line (what the line is made of is equal).</summary>
    private static bool ReadsTheSame(RunMemory kept, RunMemory run) =>
        ReferenceEquals(kept, run)
        || (kept.RunNumber == run.RunNumber
            && kept.CreatedAt.UtcDateTime.Date == run.CreatedAt.UtcDateTime.Date
            && string.Equals(kept.Status, run.Status, StringComparison.Ordinal)
            && string.Equals(kept.Summary, run.Summary, StringComparison.Ordinal)
            && SameItems(kept.KeyOutcomes, run.KeyOutcomes)
            && SameItems(kept.Suggestions, run.Suggestions));

    private static bool SameItems(IReadOnlyList<string> kept, IReadOnlyList<string> items)
    {
        if (ReferenceEquals(kept, items))
        {
            return true;
        }

        if (kept is null || items is null || kept.Count != items.Count)
        {
            return false;
        }

        for (var i = 0; i < kept.Count; i++)
        {
            if (!string.Equals(kept[i], items[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Entry(RunMemory Run, string Line);
}
