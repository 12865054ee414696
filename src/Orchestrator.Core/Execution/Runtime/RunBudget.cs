using System.Runtime.InteropServices;
using System.Text.Json;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// The share of <see cref="ExecutionLimits"/> one run draws on, shared by every container and sub-workflow of the run:
/// plugin and LLM calls made, calls in flight (one gate for the whole run, however containers nest) and output bytes.
/// </summary>
internal sealed class RunBudget
{
    private readonly CallGate _gate;
    private int _calls;
    private int _steps;
    private int _exhausted;
    private long _outputBytes;

    public RunBudget(ExecutionLimits limits)
    {
        Limits = limits;
        _gate = new CallGate(limits.MaxConcurrentCallsPerRun);
    }

    public ExecutionLimits Limits { get; }

    /// <summary>Whether the run has used up its steps or calls: containers start no further items.</summary>
    public bool Exhausted => Volatile.Read(ref _exhausted) != 0;

    /// <summary>The failure of a container that stopped starting items because the run's budget is used up.</summary>
    public StepOutcome ExhaustedFailure(string stepId) => StepOutcome.Failure(
        $"The step '{stepId}' stopped: the run used up Limits.{nameof(ExecutionLimits.MaxStepsPerRun)} ({Limits.MaxStepsPerRun}) or Limits.{nameof(ExecutionLimits.MaxCallsPerRun)} ({Limits.MaxCallsPerRun}).",
        ExecutionLimits.LimitExceededErrorCode);

    /// <summary>Counts one step execution; the failure to report instead when the run has run all the steps it may.</summary>
    public StepOutcome? TryStartStep(string stepId)
    {
        if (Interlocked.Increment(ref _steps) <= Limits.MaxStepsPerRun)
        {
            return null;
        }

        Volatile.Write(ref _exhausted, 1);
        return StepOutcome.Failure($"The step '{stepId}' would be step {Limits.MaxStepsPerRun + 1} of the run, over Limits.{nameof(ExecutionLimits.MaxStepsPerRun)} ({Limits.MaxStepsPerRun}).", ExecutionLimits.LimitExceededErrorCode);
    }

    /// <summary>Counts one plugin or LLM call; the failure to report instead when the run has made all it may.</summary>
    public StepOutcome? TryStartCall(string stepId)
    {
        if (Interlocked.Increment(ref _calls) <= Limits.MaxCallsPerRun)
        {
            return null;
        }

        Volatile.Write(ref _exhausted, 1);
        return StepOutcome.Failure($"The step '{stepId}' would make call {Limits.MaxCallsPerRun + 1} of the run, over Limits.{nameof(ExecutionLimits.MaxCallsPerRun)} ({Limits.MaxCallsPerRun}).", ExecutionLimits.LimitExceededErrorCode);
    }

    /// <summary>Waits for a slot of the run's call concurrency; completes synchronously, without allocating, when one is free.</summary>
    public Task EnterAsync(CancellationToken cancellationToken) => _gate.EnterAsync(cancellationToken);

    public void Exit() => _gate.Exit();

    /// <summary>
    /// Checks a successful step output against the size limit and, for a leaf step (<paramref name="isLeaf"/>: not a
    /// container, whose output only wraps outputs already checked), the depth limit, adding its bytes to the run's
    /// total; the outcome to record (a <see cref="ExecutionLimits.LimitExceededErrorCode"/> failure when over).
    /// </summary>
    public StepOutcome CheckOutput(string stepId, StepOutcome outcome, bool isLeaf)
    {
        var data = outcome.Data;
        if (outcome.Kind != StepOutcomeKind.Succeeded || data.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.String))
        {
            return outcome;
        }

        var raw = JsonMarshal.GetRawUtf8Value(data);
        if (raw.Length > Limits.MaxStepOutputBytes)
        {
            return StepOutcome.Failure($"The step '{stepId}' output {raw.Length} bytes, over Limits.{nameof(ExecutionLimits.MaxStepOutputBytes)} ({Limits.MaxStepOutputBytes}).", ExecutionLimits.LimitExceededErrorCode);
        }

        if (isLeaf && data.ValueKind != JsonValueKind.String && Serialization.JsonDepth.IsDeeperThan(raw, ExecutionLimits.DataDepthCeiling))
        {
            return StepOutcome.Failure($"The step '{stepId}' output JSON nested deeper than {nameof(ExecutionLimits)}.{nameof(ExecutionLimits.DataDepthCeiling)} ({ExecutionLimits.DataDepthCeiling}).", ExecutionLimits.LimitExceededErrorCode);
        }

        if (isLeaf && Interlocked.Add(ref _outputBytes, raw.Length) > Limits.MaxRunOutputBytes)
        {
            return StepOutcome.Failure($"The step '{stepId}' brought the run's outputs over Limits.{nameof(ExecutionLimits.MaxRunOutputBytes)} ({Limits.MaxRunOutputBytes}).", ExecutionLimits.LimitExceededErrorCode);
        }

        return outcome;
    }
}
