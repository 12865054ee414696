using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Ports;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the host's services to the orchestrator. The ports that have one implementation (plugin executor, LLM client,
/// workflow registry, step result cache, plugin catalog) are replaced: each call removes what was registered for
/// that service before (the default or an earlier call), so the last call wins. Middleware and resilience pipelines
/// accumulate. All are singletons, as the orchestrator is. Register before the orchestrator is first resolved.
/// </summary>
public static class OrchestratorBuilderExtensions
{
    private const DynamicallyAccessedMemberTypes Constructors = DynamicallyAccessedMemberTypes.PublicConstructors;

    /// <summary>Runs plugin actions with <typeparamref name="T"/>, replacing the default that fails every call.</summary>
    /// <typeparam name="T">The host's plugin executor, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddPluginExecutor<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, IPluginExecutor =>
        Replace(builder, ServiceDescriptor.Singleton<IPluginExecutor, T>());

    /// <summary>Runs plugin actions with the executor <paramref name="factory"/> creates, replacing the default that fails every call.</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="factory">Creates the executor, once.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddPluginExecutor(this IOrchestratorBuilder builder, Func<IServiceProvider, IPluginExecutor> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Replace(builder, ServiceDescriptor.Singleton(factory));
    }

    /// <summary>Answers LLM steps with <typeparamref name="T"/>, replacing the default that fails every call.</summary>
    /// <typeparam name="T">The host's LLM client, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddLlmClient<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, ILlmClient =>
        Replace(builder, ServiceDescriptor.Singleton<ILlmClient, T>());

    /// <summary>Answers LLM steps with the client <paramref name="factory"/> creates, replacing the default that fails every call.</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="factory">Creates the client, once.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddLlmClient(this IOrchestratorBuilder builder, Func<IServiceProvider, ILlmClient> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Replace(builder, ServiceDescriptor.Singleton(factory));
    }

    /// <summary>Looks up the workflows of <c>sub_workflow</c> steps in <typeparamref name="T"/>, replacing the empty in-memory registry.</summary>
    /// <typeparam name="T">The host's workflow registry, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddWorkflowRegistry<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, IWorkflowRegistry =>
        Replace(builder, ServiceDescriptor.Singleton<IWorkflowRegistry, T>());

    /// <summary>Looks up the workflows of <c>sub_workflow</c> steps in <paramref name="registry"/> (such as a filled <see cref="InMemoryWorkflowRegistry"/>).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="registry">The registry.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddWorkflowRegistry(this IOrchestratorBuilder builder, IWorkflowRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return Replace(builder, ServiceDescriptor.Singleton(registry));
    }

    /// <summary>Stores the results of steps with caching on in <typeparamref name="T"/>, replacing the in-memory cache.</summary>
    /// <typeparam name="T">The host's cache, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddStepResultCache<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, IStepResultCache =>
        Replace(builder, ServiceDescriptor.Singleton<IStepResultCache, T>());

    /// <summary>Describes the host's plugins with <typeparamref name="T"/>, so the planner checks plugins, actions and required parameters.</summary>
    /// <typeparam name="T">The host's catalog, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddPluginCatalog<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, IPluginCatalog =>
        Replace(builder, ServiceDescriptor.Singleton<IPluginCatalog, T>());

    /// <summary>Describes the host's plugins with <paramref name="catalog"/> (such as an <see cref="InMemoryPluginCatalog"/>).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="catalog">The catalog.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddPluginCatalog(this IOrchestratorBuilder builder, IPluginCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Replace(builder, ServiceDescriptor.Singleton(catalog));
    }

    /// <summary>
    /// Wraps every step in <typeparamref name="T"/>. Several middleware may be added: the first added is the outermost.
    /// Adding the same type again does nothing (it keeps its first place).
    /// </summary>
    /// <typeparam name="T">The middleware, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddStepMiddleware<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, IStepMiddleware
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStepMiddleware, T>());
        return builder;
    }

    /// <summary>
    /// Adds resilience strategies (retry, circuit breaker, rate limiter, ...) around every action of
    /// <paramref name="plugin"/>, outside the step's own <c>retryPolicy</c> and <c>timeout</c>. Calls for the same plugin
    /// add to one pipeline, in call order. The builder's clock is the registered <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="plugin">The plugin's name, as action steps write it (such as <c>google-mail</c>).</param>
    /// <param name="configure">Adds the strategies.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddResiliencePipeline(this IOrchestratorBuilder builder, string plugin, Action<ResiliencePipelineBuilder<StepOutcome>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(plugin);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new PluginPipelineRegistration(plugin, configure));
        return builder;
    }

    internal static IOrchestratorBuilder Replace(IOrchestratorBuilder builder, ServiceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll(descriptor.ServiceType);
        builder.Services.Add(descriptor);
        return builder;
    }
}
