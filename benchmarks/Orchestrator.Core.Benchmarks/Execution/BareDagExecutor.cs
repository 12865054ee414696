namespace Orchestrator.Core.Benchmarks.Execution;

/// <summary>
/// The floor: the least a Task-based DAG executor can do. In-degree counters over int adjacency; a step starts the
/// moment its last dependency completes; steps that complete synchronously are released inline (a local work list,
/// no recursion), the others release their dependents from their continuation. No limit on concurrency, no records,
/// no events, no results.
/// </summary>
public sealed class BareDagExecutor(DagShape shape)
{
    private readonly int[][] _dependents = shape.Dependents;
    private readonly int[] _inDegree = [.. shape.Dependencies.Select(d => d.Length)];

    public Task RunAsync(Func<ValueTask> step) => new Run(this, step).Start();

    private sealed class Run(BareDagExecutor owner, Func<ValueTask> step)
    {
        private readonly int[] _remaining = (int[])owner._inDegree.Clone();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _pending = owner._inDegree.Length;

        public Task Start()
        {
            var ready = new Stack<int>();
            for (var v = 0; v < _remaining.Length; v++)
            {
                if (_remaining[v] == 0)
                {
                    ready.Push(v);
                }
            }

            Drain(ready);
            return _done.Task;
        }

        private void Drain(Stack<int> ready)
        {
            while (ready.TryPop(out var v))
            {
                var work = step();
                if (work.IsCompletedSuccessfully)
                {
                    Finished(v, ready);
                }
                else
                {
                    _ = FinishLaterAsync(work, v);
                }
            }
        }

        private async Task FinishLaterAsync(ValueTask work, int v)
        {
            await work.ConfigureAwait(false);
            var ready = new Stack<int>();
            Finished(v, ready);
            Drain(ready);
        }

        private void Finished(int v, Stack<int> ready)
        {
            foreach (var dependent in owner._dependents[v])
            {
                if (Interlocked.Decrement(ref _remaining[dependent]) == 0)
                {
                    ready.Push(dependent);
                }
            }

            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.TrySetResult();
            }
        }
    }
}
