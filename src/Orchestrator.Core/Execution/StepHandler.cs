namespace Orchestrator.Core.Execution;

/// <summary>The rest of the step pipeline, as seen by a middleware.</summary>
/// <param name="context">The step being run.</param>
/// <returns>The step's outcome.</returns>
public delegate ValueTask<StepOutcome> StepHandler(StepContext context);
