using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// What a run did, counted as it happens for <see cref="ExecutionMetrics"/>: one interlocked increment at each
/// site, shared by the run's sub-workflows so nested work is counted once.
/// </summary>
internal sealed class RunCounters
{
    /// <summary>
    /// The plugins called, under a lock (a run calls few plugins, and a concurrent dictionary cost every run about 700
    /// bytes): the first in a field, a set made only for a second one (most runs call one plugin, often many times).
    /// </summary>
    private readonly Lock _pluginsLock = new();
    private string? _firstPlugin;
    private HashSet<string>? _otherPlugins;
    private int _stepExecutions;
    private int _retries;
    private int _toolCalls;
    private int _branches;
    private int _loopIterations;
    private int _parallelExecutions;

    public int StepExecutions => Volatile.Read(ref _stepExecutions);

    public int Retries => Volatile.Read(ref _retries);

    public int ToolCalls => Volatile.Read(ref _toolCalls);

    public int BranchesTaken => Volatile.Read(ref _branches);

    public int LoopIterations => Volatile.Read(ref _loopIterations);

    public int ParallelExecutions => Volatile.Read(ref _parallelExecutions);

    public IReadOnlyList<string> PluginsUsed
    {
        get
        {
            lock (_pluginsLock)
            {
                if (_firstPlugin is null)
                {
                    return [];
                }

                if (_otherPlugins is null)
                {
                    return [_firstPlugin];
                }

                // Copied and sorted in place: a LINQ ordering made a sorter, a comparison and two arrays for every run's metrics.
                var plugins = new string[_otherPlugins.Count + 1];
                plugins[0] = _firstPlugin;
                _otherPlugins.CopyTo(plugins, 1);
                Array.Sort(plugins, StringComparer.Ordinal);
                return plugins;
            }
        }
    }

    public void StepExecuted() => Interlocked.Increment(ref _stepExecutions);

    public void Retried() => Interlocked.Increment(ref _retries);

    public void ToolCalled(string plugin)
    {
        Interlocked.Increment(ref _toolCalls);

        // The first plugin is set once and never changes: a step calling it again (nearly every step) takes no lock.
        if (ReferenceEquals(Volatile.Read(ref _firstPlugin), plugin))
        {
            return;
        }

        lock (_pluginsLock)
        {
            if (_firstPlugin is null)
            {
                Volatile.Write(ref _firstPlugin, plugin);
            }
            else if (!string.Equals(_firstPlugin, plugin, StringComparison.Ordinal))
            {
                (_otherPlugins ??= new HashSet<string>(StringComparer.Ordinal)).Add(plugin);
            }
        }
    }

    public void BranchTaken() => Interlocked.Increment(ref _branches);

    public void LoopIterated(int iterations) => Interlocked.Add(ref _loopIterations, iterations);

    public void RanInParallel(int count) => Interlocked.Add(ref _parallelExecutions, count);
}
