using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>Links the step middleware once, first added outermost, ending at the step handlers (no per-step closures).</summary>
internal static class StepPipeline
{
    public static StepHandler Build(IReadOnlyList<IStepMiddleware> hostMiddleware, OrchestratorRuntime runtime)
    {
        List<IStepMiddleware> chain = [.. hostMiddleware, new ParameterResolutionMiddleware(), new CachingMiddleware(), new ResilienceMiddleware()];
        StepHandler next = StepHandlers.Last;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var middleware = chain[i];
            var inner = next;
            next = context => middleware.InvokeAsync(context, inner);
        }

        return next;
    }
}
