using Orchestrator.Core.Auditing;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Execution;

/// <summary>
/// How the orchestrator runs workflows. An orchestrator built by <c>AddWorkflowOrchestrator</c> reads the current
/// options at the start of every run (through <c>IOptionsMonitor</c>), so a change applies to the next run without a
/// restart; a run keeps the options it started with to its end.
/// </summary>
public sealed class WorkflowOrchestratorOptions
{
    private MemoryOptions _memory = new();
    private AuditOptions _audit = new();
    private ExecutionLimits _limits = new();

    /// <summary>The <see cref="WorkflowExecutionResult.ErrorCode"/> of a run refused because <see cref="Enabled"/> is off.</summary>
    public const string DisabledErrorCode = "ORCHESTRATOR_DISABLED";

    /// <summary>
    /// The admin switch. When <see langword="false"/>, the orchestrator refuses new runs (and resumptions of suspended
    /// ones) with <see cref="ExecutionStatus.Rejected"/> and the error code <see cref="DisabledErrorCode"/>: no step
    /// runs and no plugin or LLM is called, so the host can fall back. Runs already going finish. Default
    /// <see langword="true"/>.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most steps of one step list running at once (a group's or loop's own limit may be lower). Default 16.</summary>
    public int MaxParallelism { get; set; } = 16;

    /// <summary>The time limit of a step attempt that sets no <c>timeout</c>; none when null.</summary>
    public TimeSpan? DefaultStepTimeout { get; set; }

    /// <summary>
    /// The longest the orchestrator waits for one call into a host side system that is not a step: a rollback action,
    /// a memory store read or write. A call still running then is abandoned and reported as a warning on the run; it
    /// never changes the run's status. The run's cancellation ends the wait too. Default 30 seconds.
    /// </summary>
    public TimeSpan SideCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a cancelled run waits for its running steps to stop. Steps that honour their cancellation token stop at
    /// once; a plugin or LLM client that ignores it is abandoned after this period (its task keeps running unobserved,
    /// a warning names the abandonment) so the run still returns <see cref="ExecutionStatus.Cancelled"/> promptly.
    /// <see cref="TimeSpan.Zero"/> abandons them at once. Default 5 seconds.
    /// </summary>
    public TimeSpan CancellationGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether an approval step that lists no <c>approvers</c> is accepted, so that anyone may decide it (the open
    /// policy). Default <see langword="false"/>: such a step is a plan-time error (<c>APPROVAL_WITHOUT_APPROVERS</c>)
    /// when the orchestrator plans a definition, and a decision for it is refused. A host that means approvals to be
    /// open turns this on; see docs/security.md.
    /// </summary>
    public bool AllowOpenApprovals { get; set; }

    /// <summary>
    /// How many events <c>ExecuteStreamingAsync</c> buffers for a consumer that reads slower than the run produces them.
    /// Back-pressure rule: steps never wait for the consumer; an event that finds the buffer full is dropped, the result's
    /// warnings give the count, and the final <see cref="ExecutionFinishedEvent"/> (with the complete result) is never
    /// dropped: it waits for room. At least 1; default 10,000.
    /// </summary>
    public int StreamingBufferCapacity { get; set; } = 10_000;

    /// <summary>
    /// How long a run suspended in this orchestrator's memory (no checkpoint store) is kept. A run suspended longer is
    /// dropped when the next run suspends (and refused when resumed), so abandoned approvals cannot pile up without end.
    /// Default 7 days.
    /// </summary>
    public TimeSpan SuspendedRunRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a checkpoint store keeps runs that finished. With a checkpoint store, the orchestrator applies it itself:
    /// after a run finishes (at most once an hour) it calls <c>ICheckpointStore.DeleteExpiredAsync</c> with now minus
    /// this period. Running and suspended runs are never removed. Null keeps finished runs for ever (the host then prunes
    /// the store itself). Default 30 days.
    /// </summary>
    public TimeSpan? CheckpointRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How deeply sub-workflows may nest. Default 8.</summary>
    public int MaxSubWorkflowDepth { get; set; } = 8;

    /// <summary>The <see cref="WorkflowExecutionResult.ErrorCode"/> of a run stopped because it reached <see cref="MaxRunCost"/>.</summary>
    public const string CostLimitErrorCode = "COST_LIMIT_EXCEEDED";

    /// <summary>How memory from past runs is injected into prompts and how runs are summarised into memory.</summary>
    public MemoryOptions Memory => _memory;

    /// <summary>How audit events reach the sinks.</summary>
    public AuditOptions Audit => _audit;

    /// <summary>The bounds on what one document and one run may do (depths, items, calls, concurrency, output sizes).</summary>
    public ExecutionLimits Limits => _limits;

    /// <summary>
    /// Prices by model name, for the cost of every LLM call (<see cref="ExecutionUsage.Cost"/>). A model is looked up
    /// by its exact name (case-insensitive), then by the longest key it starts with, so <c>gpt-4o</c> prices
    /// <c>gpt-4o-2024-08-06</c>; a model with no price costs <see cref="DefaultModelPrice"/>, or nothing (with a warning
    /// on the run) when that is null.
    /// </summary>
    public IDictionary<string, ModelPrice> Pricing { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The price of models <see cref="Pricing"/> does not list; none when null.</summary>
    public ModelPrice? DefaultModelPrice { get; set; }

    /// <summary>
    /// The most one run may spend on LLM calls; no ceiling when null. The ceiling is checked around every LLM call: no
    /// call starts once it is reached, and the call that crosses it is the last. Such a run ends
    /// <see cref="ExecutionStatus.Failed"/> with the error code <see cref="CostLimitErrorCode"/>.
    /// </summary>
    public decimal? MaxRunCost { get; set; }

    /// <summary>Checks the options, naming every problem.</summary>
    /// <exception cref="ArgumentException">An option has a value that cannot work.</exception>
    public void Validate()
    {
        var problems = FindProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid orchestrator options: " + string.Join(" ", problems));
        }
    }

    /// <summary>Every problem of the options, each naming the option; empty when they can work.</summary>
    internal List<string> FindProblems()
    {
        var problems = new List<string>();
        if (MaxParallelism < 1)
        {
            problems.Add($"{nameof(MaxParallelism)} must be at least 1 (was {MaxParallelism}).");
        }

        if (DefaultStepTimeout is { } timeout && (timeout < ExecutionLimits.MinStepTimeout || timeout > ExecutionLimits.MaxStepTimeout))
        {
            problems.Add($"{nameof(DefaultStepTimeout)} must be positive and between {ExecutionLimits.MinStepTimeout} and {ExecutionLimits.MaxStepTimeout} (was {timeout}).");
        }

        if (SideCallTimeout <= TimeSpan.Zero && SideCallTimeout != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"{nameof(SideCallTimeout)} must be positive or infinite (was {SideCallTimeout}).");
        }

        if (CancellationGracePeriod < TimeSpan.Zero && CancellationGracePeriod != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"{nameof(CancellationGracePeriod)} must not be negative (was {CancellationGracePeriod}).");
        }

        if (CheckpointRetention is { } retention && retention <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(CheckpointRetention)} must be positive or null (was {retention}).");
        }

        if (StreamingBufferCapacity < 1)
        {
            problems.Add($"{nameof(StreamingBufferCapacity)} must be at least 1 (was {StreamingBufferCapacity}).");
        }

        if (SuspendedRunRetention <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(SuspendedRunRetention)} must be positive (was {SuspendedRunRetention}).");
        }

        if (MaxSubWorkflowDepth < 1)
        {
            problems.Add($"{nameof(MaxSubWorkflowDepth)} must be at least 1 (was {MaxSubWorkflowDepth}).");
        }

        Memory.FindProblems(problems);
        Limits.FindProblems(problems);
        if (Audit.BufferCapacity < 1)
        {
            problems.Add($"Audit.{nameof(AuditOptions.BufferCapacity)} must be at least 1 (was {Audit.BufferCapacity}).");
        }

        if (Audit.FlushTimeout < TimeSpan.Zero)
        {
            problems.Add($"Audit.{nameof(AuditOptions.FlushTimeout)} must not be negative (was {Audit.FlushTimeout}).");
        }

        foreach (var (model, price) in Pricing)
        {
            if (price is null || price.InputPerMillionTokens < 0 || price.OutputPerMillionTokens < 0)
            {
                problems.Add($"{nameof(Pricing)}['{model}'] must be a price that is not negative (was {price?.ToString() ?? "null"}).");
            }
        }

        if (DefaultModelPrice is { InputPerMillionTokens: < 0 } or { OutputPerMillionTokens: < 0 })
        {
            problems.Add($"{nameof(DefaultModelPrice)} must not be negative (was {DefaultModelPrice}).");
        }

        if (MaxRunCost is < 0)
        {
            problems.Add($"{nameof(MaxRunCost)} must not be negative (was {MaxRunCost}).");
        }

        return problems;
    }

    /// <summary>A copy that later changes to this instance do not reach: what one run uses from start to end.</summary>
    internal WorkflowOrchestratorOptions Snapshot()
    {
        var copy = new WorkflowOrchestratorOptions
        {
            Enabled = Enabled,
            MaxParallelism = MaxParallelism,
            DefaultStepTimeout = DefaultStepTimeout,
            MaxSubWorkflowDepth = MaxSubWorkflowDepth,
            SideCallTimeout = SideCallTimeout,
            CancellationGracePeriod = CancellationGracePeriod,
            AllowOpenApprovals = AllowOpenApprovals,
            StreamingBufferCapacity = StreamingBufferCapacity,
            CheckpointRetention = CheckpointRetention,
            SuspendedRunRetention = SuspendedRunRetention,
            DefaultModelPrice = DefaultModelPrice,
            MaxRunCost = MaxRunCost,
        };
        copy.CopyNested(this);
        return copy;
    }

    /// <summary>The prices, memory and audit settings, copied so later changes to <paramref name="source"/> do not reach them.</summary>
    private void CopyNested(WorkflowOrchestratorOptions source)
    {
        foreach (var (model, price) in source.Pricing)
        {
            Pricing[model] = price;
        }

        _memory = source.Memory.Clone();
        _audit = source.Audit.Clone();
        _limits = source.Limits.Clone();
    }

    /// <summary>
    /// Whether the settings a runtime is built from equal <paramref name="other"/>'s. <see cref="Enabled"/> is left
    /// out: it is checked per run and needs no rebuild. WorkflowOrchestratorOptionsTests changes every public option
    /// found by reflection and fails when this comparison (or <see cref="Snapshot"/>) misses one.
    /// </summary>
    internal bool HasSameRuntimeSettings(WorkflowOrchestratorOptions other) =>
        MaxParallelism == other.MaxParallelism
        && DefaultStepTimeout == other.DefaultStepTimeout
        && MaxSubWorkflowDepth == other.MaxSubWorkflowDepth
        && SideCallTimeout == other.SideCallTimeout
        && CancellationGracePeriod == other.CancellationGracePeriod
        && AllowOpenApprovals == other.AllowOpenApprovals
        && StreamingBufferCapacity == other.StreamingBufferCapacity
        && CheckpointRetention == other.CheckpointRetention
        && SuspendedRunRetention == other.SuspendedRunRetention
        && DefaultModelPrice == other.DefaultModelPrice
        && MaxRunCost == other.MaxRunCost
        && Memory.SameAs(other.Memory)
        && Audit.SameAs(other.Audit)
        && Limits.SameAs(other.Limits)
        && Pricing.Count == other.Pricing.Count
        && Pricing.All(p => other.Pricing.TryGetValue(p.Key, out var price) && price == p.Value);
}
