using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Runs one planned step list. Scheduling state has one owner at a time, the coordinator, so no locks are needed: it
/// takes every step the moment its last dependency finishes (not level by level), up to the concurrency limit, and lets
/// go of the state before the steps start, so threads whose steps finish can coordinate meanwhile. Steps that complete
/// synchronously are handled inline, one at a time; a step that completes later queues its index and, when no one is
/// coordinating, coordinates itself on its own thread (no extra thread-pool hop per step). Nothing blocks a thread.
/// </summary>
/// <remarks>
/// Split by job into partial files, so the per-step path costs no extra object or interface call: this file holds the
/// state and what the list came to; <c>PlanRunner.Scheduling.cs</c> decides what is ready and who coordinates;
/// <c>PlanRunner.Skipping.cs</c> finishes ready steps that must not run; <c>PlanRunner.StepExecution.cs</c> runs one
/// step; <c>PlanRunner.StepCompletion.cs</c> records what a step came to and decides what the list does next.
/// Compensation after a failure, off the per-step path, is <see cref="ListRollback"/>.
/// </remarks>
internal sealed partial class PlanRunner
{
    private readonly StepScope _scope;
    private readonly int _limit;
    private readonly int[] _remaining;

    /// <summary>
    /// Per step, who reports its completion: 0 while the thread that started it is still inside the call that started
    /// it, 1 once that thread has moved on (the step then reports through the queue), 2 when the step finished before
    /// that (the starting thread reports it). This costs one interlocked operation instead of a wrapper task per step.
    /// </summary>
    private readonly int[] _handoff;
    private readonly Queue<int> _ready = new();
    private readonly CancellationTokenSource _cancellation;
    /// <summary>
    /// Completions a coordinator has yet to handle (a step's index, or <c>~index</c> for a step taken but not started):
    /// made by the first completion that finds another thread coordinating (none when all steps complete at once).
    /// </summary>
    private ConcurrentQueue<int>? _completed;
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The span steps of this list are children of: the run's, or the enclosing step's for a nested list. Captured when
    /// the list starts, because the thread that starts a step may be coordinating from inside another step.
    /// </summary>
    private readonly Activity? _parentActivity = Activity.Current;
    private CancellationToken _callerToken;

    /// <summary>1 while a thread is coordinating (owns the scheduling state), 0 otherwise.</summary>
    private int _coordinating;
    private int _running;

    /// <summary>
    /// Whether the last step started did not complete inside the call that started it. While steps await, the coordinator
    /// takes several ready steps at a time for one thread to start, leaving the role to threads whose steps finish.
    /// </summary>
    private bool _stepsAwait;
    private ListRunOutcome? _failure;
    private bool _suspended;

    private PlanRunner(StepScope scope, int limit, CancellationToken cancellationToken)
    {
        _scope = scope;
        _limit = limit;
        _remaining = new int[scope.Plan.Steps.Count];
        _handoff = new int[scope.Plan.Steps.Count];
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    private RunContext Run => _scope.Run;

    /// <summary>Runs the list; records of steps already final (a resumed run) are kept and not run again.</summary>
    public static async ValueTask<ListRunOutcome> RunAsync(StepScope scope, int maxConcurrency, CancellationToken cancellationToken)
    {
        var runner = new PlanRunner(scope, Math.Max(1, Math.Min(maxConcurrency, scope.Run.Runtime.Options.MaxParallelism)), cancellationToken);
        try
        {
            return await runner.RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            runner._cancellation.Dispose();
        }
    }

    private async ValueTask<ListRunOutcome> RunCoreAsync(CancellationToken callerToken)
    {
        var plan = _scope.Plan;
        var steps = plan.Steps;
        for (var v = 0; v < steps.Count; v++)
        {
            _remaining[v] = steps[v].Dependencies.Count;
            if (_remaining[v] == 0)
            {
                _ready.Enqueue(v);
            }
        }

        _callerToken = callerToken;
        Pump();
        await _idle.Task.ConfigureAwait(false);

        // A run cancelled while its last steps ran (plugins that ignore their token and finish anyway) is still
        // cancelled: the caller asked it to stop and must not be told it succeeded.
        if (_failure is null && callerToken.IsCancellationRequested)
        {
            _failure = new ListRunOutcome(ListRunStatus.Cancelled, "The run was cancelled.", "CANCELLED", null);
        }

        if (_failure is { } failure)
        {
            CancelUnfinished(failure.Status == ListRunStatus.Cancelled
                ? "The run was cancelled."
                : $"The run stopped: step '{failure.FailedStepId}' failed.");
            if (failure.Status == ListRunStatus.Failed)
            {
                await ListRollback.RunAsync(Run, _scope, _callerToken).ConfigureAwait(false);
            }

            return failure;
        }

        return _suspended
            ? new ListRunOutcome(ListRunStatus.Suspended, null, null, null)
            : new ListRunOutcome(ListRunStatus.Completed, null, null, null);
    }
}
