namespace Orchestrator.Core.Execution;

/// <summary>
/// The bounds on what one document and one run may do (see docs/limits.md). Each setting is the host's ceiling: a
/// document can ask for less (a loop's <c>maxIterations</c> or <c>maxConcurrency</c>) and never for more. The nesting
/// depths are fixed constants, the same in the loader, the planner and the executor, because they protect the stack.
/// Over a limit, planning reports an error naming the step and the limit, or at run time the step fails with
/// <see cref="LimitExceededErrorCode"/>.
/// </summary>
public sealed class ExecutionLimits
{
    /// <summary>The error code (diagnostic or step error) of anything over a limit.</summary>
    public const string LimitExceededErrorCode = "LIMIT_EXCEEDED";

    /// <summary>
    /// How deeply steps may nest inside loops, groups, scatters and inline sub-workflows (a top-level step is at depth
    /// 1). The planner refuses deeper definitions, including ones built in code, before descending into them.
    /// </summary>
    public const int StepDepthCeiling = 32;

    /// <summary>
    /// How deeply JSON may nest: a step entry in a document, a plugin or LLM reply, a run's inputs. The loader refuses
    /// deeper entries before walking them; the executor fails a step whose output is deeper.
    /// </summary>
    public const int DataDepthCeiling = 64;

    /// <summary>How deeply a condition may nest (<c>and</c>/<c>or</c>/<c>not</c>, in text or object form).</summary>
    public const int ConditionDepthCeiling = 64;

    /// <summary>The shortest step <c>timeout</c> a run can enforce (Polly's timeout strategy's lower bound).</summary>
    public static readonly TimeSpan MinStepTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest step <c>timeout</c> a run can enforce (Polly's timeout strategy's upper bound).</summary>
    public static readonly TimeSpan MaxStepTimeout = TimeSpan.FromDays(1);

    /// <summary>The most items one loop or scatter-gather may run; a loop's <c>maxIterations</c> can only lower it. Default 10,000.</summary>
    public int MaxItemsPerContainer { get; set; } = 10_000;

    /// <summary>
    /// The most step executions of one run, every item of every loop and scatter and its sub-workflows included.
    /// Nested containers multiply their items, so this is what bounds a run's work when its steps call nothing.
    /// Once used up, the step over it fails and containers start no further items. Default 100,000.
    /// </summary>
    public int MaxStepsPerRun { get; set; } = 100_000;

    /// <summary>
    /// The most plugin and LLM calls one run may make, its sub-workflows included; once used up, the call over it fails
    /// and containers start no further items. Default 10,000.
    /// </summary>
    public int MaxCallsPerRun { get; set; } = 10_000;

    /// <summary>
    /// The most plugin and LLM calls of one run in flight at once, however its containers nest: every loop, group and
    /// scatter draws from this one budget. Default 64.
    /// </summary>
    public int MaxConcurrentCallsPerRun { get; set; } = 64;

    /// <summary>The most UTF-8 bytes one step's output may take. Default 4 MiB.</summary>
    public long MaxStepOutputBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>The most UTF-8 bytes all step outputs of one run may take together. Default 64 MiB.</summary>
    public long MaxRunOutputBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The longest <c>delay</c> any host may allow (a timer cannot wait longer than about 49.7 days); a longer delay is a
    /// plan-time error.
    /// </summary>
    public static readonly TimeSpan DelayCeiling = TimeSpan.FromDays(49);

    /// <summary>
    /// The longest <c>delay</c> step this host runs; a longer one (up to <see cref="DelayCeiling"/>) fails at run time
    /// with <see cref="LimitExceededErrorCode"/>. Default 1 day.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The longest one regular-expression match (a <c>matches</c> condition, a schema <c>pattern</c>) may take in a data
    /// or branch step; a match over it fails the step with <see cref="LimitExceededErrorCode"/>. Patterns run without
    /// backtracking, so this bounds huge inputs rather than pathological patterns. Positive, at most 1 minute; default 1 s.
    /// </summary>
    public TimeSpan RegexMatchTimeout { get; set; } = TimeSpan.FromSeconds(1);

    internal ExecutionLimits Clone() => (ExecutionLimits)MemberwiseClone();

    internal bool SameAs(ExecutionLimits other) =>
        MaxItemsPerContainer == other.MaxItemsPerContainer && MaxStepsPerRun == other.MaxStepsPerRun && MaxCallsPerRun == other.MaxCallsPerRun
        && MaxConcurrentCallsPerRun == other.MaxConcurrentCallsPerRun && MaxStepOutputBytes == other.MaxStepOutputBytes
        && MaxRunOutputBytes == other.MaxRunOutputBytes && MaxDelay == other.MaxDelay && RegexMatchTimeout == other.RegexMatchTimeout;

    internal void FindProblems(List<string> problems)
    {
        if (MaxItemsPerContainer < 1)
        {
            problems.Add($"Limits.{nameof(MaxItemsPerContainer)} must be at least 1 (was {MaxItemsPerContainer}).");
        }

        if (MaxStepsPerRun < 1)
        {
            problems.Add($"Limits.{nameof(MaxStepsPerRun)} must be at least 1 (was {MaxStepsPerRun}).");
        }

        if (MaxCallsPerRun < 1)
        {
            problems.Add($"Limits.{nameof(MaxCallsPerRun)} must be at least 1 (was {MaxCallsPerRun}).");
        }

        if (MaxConcurrentCallsPerRun < 1)
        {
            problems.Add($"Limits.{nameof(MaxConcurrentCallsPerRun)} must be at least 1 (was {MaxConcurrentCallsPerRun}).");
        }

        if (MaxStepOutputBytes < 1 || MaxRunOutputBytes < MaxStepOutputBytes)
        {
            problems.Add($"Limits.{nameof(MaxStepOutputBytes)} must be at least 1 and at most {nameof(MaxRunOutputBytes)} (were {MaxStepOutputBytes} and {MaxRunOutputBytes}).");
        }

        if (RegexMatchTimeout <= TimeSpan.Zero || RegexMatchTimeout > TimeSpan.FromMinutes(1))
        {
            problems.Add($"Limits.{nameof(RegexMatchTimeout)} must be positive and at most 1 minute (was {RegexMatchTimeout}).");
        }

        if (MaxDelay <= TimeSpan.Zero || MaxDelay > DelayCeiling)
        {
            problems.Add($"Limits.{nameof(MaxDelay)} must be positive and at most {nameof(DelayCeiling)} ({DelayCeiling}) (was {MaxDelay}).");
        }
    }
}
