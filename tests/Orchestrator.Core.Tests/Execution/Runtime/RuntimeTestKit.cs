using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

/// <summary>Shared pieces of the executor runtime tests: signals instead of sleeps, and a clock that reports its timers.</summary>
internal static class RuntimeTestKit
{
    /// <summary>A safety net for awaits on signals, so a broken scheduler fails the test instead of hanging it (never a timing assertion).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static WorkflowExecutionRequest Request(string inputs = "{}", string? executionId = null) =>
        new() { UserId = "u1", Inputs = Json.Parse(inputs), ExecutionId = executionId };

    public static WorkflowOrchestrator CreateSut(
        ScriptedPluginExecutor plugins,
        TimeProvider? time = null,
        WorkflowOrchestratorOptions? options = null,
        ScriptedLlmClient? llm = null) =>
        new WorkflowOrchestratorBuilder(plugins, llm ?? new ScriptedLlmClient())
            .UseOptions(options ?? new WorkflowOrchestratorOptions())
            .UseTimeProvider(time ?? new FakeTimeProvider())
            .Build();

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Patience);

    public static Task Within(this Task task) => task.WaitAsync(Patience);

    /// <summary>A plugin handler that waits for <paramref name="gate"/> (or the call's cancellation), then answers.</summary>
    public static Func<PluginRequest, CancellationToken, ValueTask<PluginResult>> Gated(Task gate, PluginResult result, Counter? entered = null) =>
        async (_, cancellationToken) =>
        {
            entered?.Increment();
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        };

    public static PluginResult Ok(string json = "{}") => PluginResult.Ok(Json.Parse(json));
}

/// <summary>Counts events and lets a test wait for the n-th one.</summary>
internal sealed class Counter
{
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private int _count;

    public int Value
    {
        get
        {
            lock (_waiters)
            {
                return _count;
            }
        }
    }

    public void Increment()
    {
        lock (_waiters)
        {
            _count++;
            foreach (var (count, signal) in _waiters)
            {
                if (count <= _count)
                {
                    signal.TrySetResult();
                }
            }
        }
    }

    public Task WaitForAsync(int count)
    {
        lock (_waiters)
        {
            if (_count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(RuntimeTestKit.Patience);
        }
    }
}

/// <summary>Counts how many calls are inside a section at once, and the most ever seen.</summary>
internal sealed class ConcurrencyProbe
{
    private int _current;
    private int _max;

    public Counter Entered { get; } = new();

    public int Max => Volatile.Read(ref _max);

    public async ValueTask<PluginResult> RunAsync(Task gate, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }

        Entered.Increment();
        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            return RuntimeTestKit.Ok();
        }
        finally
        {
            Interlocked.Decrement(ref _current);
        }
    }
}

/// <summary>
/// A fake clock that also records every timer armed on it (Polly's backoff delays and attempt timeouts, whether set
/// when created or later through <see cref="ITimer.Change"/>), so a test advances time only once the timer it means exists.
/// </summary>
internal sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    public ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

    public Counter Timers { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new RecordingTimer(base.CreateTimer(callback, state, dueTime, period), this);
        timer.Armed(dueTime);
        return timer;
    }

    private sealed class RecordingTimer(ITimer inner, TimerRecordingTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            Armed(dueTime);
            return changed;
        }

        public void Armed(TimeSpan dueTime)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                owner.DueTimes.Enqueue(dueTime);
                owner.Timers.Increment();
            }
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
