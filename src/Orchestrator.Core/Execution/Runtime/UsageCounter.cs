namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Token usage of a step and, through <see cref="Parent"/>, of every step enclosing it. Each LLM call is added once, at
/// the step that made it, and flows up: a loop's total includes its iterations, and the run's total counts every call
/// exactly once (the stored engine double-counted when merging a loop's context back).
/// </summary>
internal sealed class UsageCounter
{
    private long _input;
    private long _output;
    private int _calls;

    public UsageCounter(UsageCounter? parent) => Parent = parent;

    public UsageCounter? Parent { get; }

    public long InputTokens => Interlocked.Read(ref _input);

    public long OutputTokens => Interlocked.Read(ref _output);

    public int Calls => Volatile.Read(ref _calls);

    public void Add(long inputTokens, long outputTokens)
    {
        for (var counter = this; counter is not null; counter = counter.Parent)
        {
            Interlocked.Add(ref counter._input, inputTokens);
            Interlocked.Add(ref counter._output, outputTokens);
            Interlocked.Increment(ref counter._calls);
        }
    }

    /// <summary>Counts again the usage of a step restored from a checkpoint (<paramref name="calls"/> calls at once).</summary>
    public void Restore(long inputTokens, long outputTokens, int calls)
    {
        for (var counter = this; counter is not null; counter = counter.Parent)
        {
            Interlocked.Add(ref counter._input, inputTokens);
            Interlocked.Add(ref counter._output, outputTokens);
            Interlocked.Add(ref counter._calls, calls);
        }
    }
}
