namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Token usage and cost of a step and, through <see cref="Parent"/>, of every step enclosing it. Each LLM call is added
/// once, at the step that made it, and flows up: a loop's total includes its iterations, and the run's total counts
/// every call exactly once (the stored engine double-counted when merging a loop's context back).
/// </summary>
internal sealed class UsageCounter
{
    /// <summary>Costs are summed as whole nano-units so they can be added without a lock.</summary>
    private const decimal NanoUnits = 1_000_000_000m;

    private long _input;
    private long _output;
    private long _costNanos;
    private int _calls;
    private int _limitReached;

    public UsageCounter(UsageCounter? parent)
    {
        Parent = parent;
        Root = parent?.Root ?? this;
    }

    public UsageCounter? Parent { get; }

    /// <summary>The run's counter (the outermost run's, for sub-workflows): where the cost ceiling is checked.</summary>
    public UsageCounter Root { get; }

    public long InputTokens => Interlocked.Read(ref _input);

    public long OutputTokens => Interlocked.Read(ref _output);

    public int Calls => Volatile.Read(ref _calls);

    public decimal Cost => Interlocked.Read(ref _costNanos) / NanoUnits;

    /// <summary>Whether the run reached its cost ceiling (set on the <see cref="Root"/>).</summary>
    public bool LimitReached => Volatile.Read(ref Root._limitReached) != 0;

    public void MarkLimitReached() => Volatile.Write(ref Root._limitReached, 1);

    public void Add(long inputTokens, long outputTokens, decimal cost = 0m)
    {
        var nanos = cost <= 0m ? 0L : (long)decimal.Round(cost * NanoUnits, MidpointRounding.AwayFromZero);
        for (var counter = this; counter is not null; counter = counter.Parent)
        {
            AddSaturating(ref counter._input, inputTokens);
            AddSaturating(ref counter._output, outputTokens);
            AddSaturating(ref counter._costNanos, nanos);
            Interlocked.Increment(ref counter._calls);
        }
    }

    /// <summary>Counts again the usage of a step restored from a checkpoint (<paramref name="calls"/> calls at once).</summary>
    public void Restore(long inputTokens, long outputTokens, int calls, decimal cost)
    {
        var nanos = cost <= 0m ? 0L : (long)decimal.Round(cost * NanoUnits, MidpointRounding.AwayFromZero);
        for (var counter = this; counter is not null; counter = counter.Parent)
        {
            AddSaturating(ref counter._costNanos, nanos);
            AddSaturating(ref counter._input, inputTokens);
            AddSaturating(ref counter._output, outputTokens);
            Interlocked.Add(ref counter._calls, Math.Max(0, calls));
        }
    }

    /// <summary>
    /// Adds a count that is never negative (a negative one counts as 0) and stops at <see cref="long.MaxValue"/> instead of
    /// wrapping around: usage is data from outside, and a total must never turn negative.
    /// </summary>
    internal static void AddSaturating(ref long location, long value)
    {
        if (value <= 0)
        {
            return;
        }

        long current;
        long next;
        do
        {
            current = Interlocked.Read(ref location);
            next = current > long.MaxValue - value ? long.MaxValue : current + value;
        }
        while (Interlocked.CompareExchange(ref location, next, current) != current);
    }
}
