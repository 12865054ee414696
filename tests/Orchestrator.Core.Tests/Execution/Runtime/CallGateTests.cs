using Orchestrator.Core.Execution.Runtime;

namespace Orchestrator.Core.Tests.Execution.Runtime;

/// <summary>
/// The run's gate for calls in flight (<see cref="CallGate"/>): a slot is taken at once while one is free, callers wait
/// in line otherwise, a cancelled caller leaves the line without taking or losing a slot, and under contention no more
/// callers than slots are ever inside.
/// </summary>
public class CallGateTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(30);

    [Fact]
    public void EnterAsync_WhileASlotIsFree_CompletesSynchronously()
    {
        var gate = new CallGate(2);

        Assert.True(gate.EnterAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(gate.EnterAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task EnterAsync_NoSlotFree_WaitsUntilOneIsGivenBack()
    {
        var gate = new CallGate(1);
        await gate.EnterAsync(CancellationToken.None);

        var waiting = gate.EnterAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        gate.Exit();
        await waiting.WaitAsync(s_guard);
    }

    [Fact]
    public async Task Exit_SeveralWaiting_HandsSlotsOverInTheOrderCallersCame()
    {
        var gate = new CallGate(1);
        await gate.EnterAsync(CancellationToken.None);
        var first = gate.EnterAsync(CancellationToken.None);
        var second = gate.EnterAsync(CancellationToken.None);

        gate.Exit();
        await first.WaitAsync(s_guard);
        Assert.False(second.IsCompleted);

        gate.Exit();
        await second.WaitAsync(s_guard);
    }

    [Fact]
    public async Task EnterAsync_WaitingCallerCancelled_LeavesTheLineAndTheSlotGoesToTheNext()
    {
        var gate = new CallGate(1);
        await gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(cancel.Token);
        var next = gate.EnterAsync(CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(s_guard));
        gate.Exit();
        await next.WaitAsync(s_guard);

        // One slot, held by next: the cancelled caller neither kept one nor left one behind.
        Assert.False(gate.EnterAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task EnterAsync_TokenAlreadyCancelled_IsCancelledEvenWithASlotFree()
    {
        var gate = new CallGate(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.EnterAsync(new CancellationToken(canceled: true)));
        Assert.True(gate.EnterAsync(CancellationToken.None).IsCompletedSuccessfully); // The slot is still free.
    }

    [Fact]
    public async Task EnterAsync_ManyThreadsSomeCancelling_NeverMoreInsideThanSlotsAndEverySlotComesBack()
    {
        const int slots = 2;
        var gate = new CallGate(slots);
        var inside = 0;
        var most = 0;
        var entered = 0;
        var waited = 0;

        async Task CallerAsync(int seed)
        {
            var random = new Random(seed);
            for (var i = 0; i < 2_000; i++)
            {
                using var cancel = new CancellationTokenSource();
                var entering = gate.EnterAsync(cancel.Token);
                if (!entering.IsCompleted)
                {
                    Interlocked.Increment(ref waited);
                }

                if (random.Next(4) == 0)
                {
                    await cancel.CancelAsync(); // Races the hand-over of a slot to this caller.
                }

                try
                {
                    await entering;
                }
                catch (OperationCanceledException)
                {
                    continue;
                }

                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                Interlocked.Increment(ref entered);
                // Holds the slot a while, and sometimes across a thread hop, so callers on the other threads find the gate full.
                Thread.SpinWait(200);
                if (random.Next(2) == 0)
                {
                    await Task.Yield();
                }

                Interlocked.Decrement(ref inside);
                gate.Exit();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(seed => Task.Factory.StartNew(() => CallerAsync(seed), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()))
            .WaitAsync(TimeSpan.FromMinutes(2));

        Assert.InRange(most, 1, slots);
        Assert.True(entered > 8_000, $"only {entered} calls got in");
        Assert.True(waited > 100, $"only {waited} calls waited in line: the test did not exercise the line");
        for (var i = 0; i < slots; i++)
        {
            Assert.True(gate.EnterAsync(CancellationToken.None).IsCompletedSuccessfully, $"slot {i + 1} of {slots} was lost");
        }

        Assert.False(gate.EnterAsync(CancellationToken.None).IsCompleted);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
