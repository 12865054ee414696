using Orchestrator.Core.Model;
using Polly;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// What the resilience middleware applies to one step definition, built once per definition: the attempt timeout (kept
/// by the middleware itself, see <see cref="AttemptTimeout"/>), the retry policy, and the Polly pipeline of the retries
/// and the host's pipeline for the step's plugin (null when there are neither).
/// </summary>
internal sealed class StepResilience(TimeSpan? timeout, RetryPolicy? retryPolicy, ResiliencePipeline<StepOutcome>? pipeline, bool hasHostPipeline)
{
    /// <summary>The timeout of each attempt, if any.</summary>
    public TimeSpan? Timeout { get; } = timeout;

    /// <summary>The retry policy, when it allows at least one retry.</summary>
    public RetryPolicy? RetryPolicy { get; } = retryPolicy;

    /// <summary>Retries and the host's plugin pipeline through Polly; null when the step has neither.</summary>
    public ResiliencePipeline<StepOutcome>? Pipeline { get; } = pipeline;

    /// <summary>
    /// Whether the host gave the step's plugin a pipeline of its own: then every attempt, the first included, runs inside
    /// it; otherwise the first attempt runs without Polly and only a retry enters the pipeline.
    /// </summary>
    public bool HasHostPipeline { get; } = hasHostPipeline;

    /// <summary>Whether an attempt's outcome ends the step (nothing would retry it).</summary>
    public bool IsFinal(Outcome<StepOutcome> outcome) =>
        RetryPolicy is not { } policy || !ResiliencePipelines.ShouldRetry(outcome, policy);
}
