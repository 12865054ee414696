namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The builder <c>AddWorkflowOrchestrator</c> returns: nothing but the service collection.</summary>
internal sealed class OrchestratorBuilder(IServiceCollection services) : IOrchestratorBuilder
{
    public IServiceCollection Services { get; } = services;
}
