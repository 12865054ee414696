namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the orchestrator's services: returned by <c>AddWorkflowOrchestrator</c>, extended by
/// <c>AddPluginExecutor</c>, <c>AddLlmClient</c>, <c>AddStepMiddleware</c>, <c>AddResiliencePipeline</c> and the like.
/// </summary>
public interface IOrchestratorBuilder
{
    /// <summary>The service collection the orchestrator's services are registered in.</summary>
    IServiceCollection Services { get; }
}
