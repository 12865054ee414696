using Orchestrator.Core.Execution;

namespace Orchestrator.Core.Ports;

/// <summary>
/// A component of the step pipeline, wrapping the rest of it (the way Polly strategies or delegating chat clients
/// chain). The pipeline is linked once per orchestrator; the first middleware added is the outermost.
/// </summary>
public interface IStepMiddleware
{
    /// <summary>
    /// Runs the step, usually by calling <paramref name="nextHandler"/> once and awaiting its result once (the built-in
    /// stages return pooled <see cref="ValueTask{TResult}"/>s, which must not be awaited twice).
    /// </summary>
    /// <param name="context">The step being run.</param>
    /// <param name="nextHandler">The rest of the pipeline.</param>
    /// <returns>The step's outcome.</returns>
    ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler nextHandler);
}
