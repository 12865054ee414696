using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Usage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the workflow orchestrator in a service collection.</summary>
public static class WorkflowOrchestratorServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWorkflowOrchestrator"/> (a singleton <see cref="WorkflowOrchestrator"/>) with in-memory
    /// defaults for every port: a step result cache, a workflow registry, <see cref="TimeProvider.System"/>, and a plugin
    /// executor and LLM client that fail every call clearly (<c>NO_PLUGIN_EXECUTOR</c>; an LLM step fails with
    /// "No LLM client registered") until the host adds its own through the returned builder. Every default is added
    /// with <c>TryAdd</c>, so a service the host registered first is kept. Calling this again is harmless: the
    /// services are added once, and <paramref name="configure"/> is applied on top of earlier configuration.
    /// </summary>
    /// <remarks>
    /// The options are validated when they are created, naming every bad option (an
    /// <see cref="OptionsValidationException"/>): at start-up in a Generic Host (<c>ValidateOnStart</c>), and otherwise
    /// when the orchestrator is first resolved. The orchestrator reads <see cref="IOptionsMonitor{TOptions}.CurrentValue"/>
    /// at the start of every run, so reloaded options (such as <see cref="WorkflowOrchestratorOptions.Enabled"/>) apply
    /// to the next run without a restart.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; none when null.</param>
    /// <returns>A builder to add the host's plugin executor, LLM client, middleware and resilience pipelines.</returns>
    public static IOrchestratorBuilder AddWorkflowOrchestrator(this IServiceCollection services, Action<WorkflowOrchestratorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WorkflowOrchestratorOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var builder = new OrchestratorBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(OrchestratorMarker)))
        {
            return builder;
        }

        services.AddSingleton<OrchestratorMarker>();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowOrchestratorOptions>, WorkflowOrchestratorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPluginExecutor, UnconfiguredPluginExecutor>();
        services.TryAddSingleton<ILlmClient, UnconfiguredLlmClient>();
        services.TryAddSingleton<IWorkflowRegistry, InMemoryWorkflowRegistry>();
        services.TryAddSingleton<IStepResultCache>(sp => new InMemoryStepResultCache(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new WorkflowPlanner(sp.GetService<IPluginCatalog>()));
        services.TryAddSingleton<IMemoryStore, InMemoryMemoryStore>();
        services.TryAddSingleton<ITokenEstimator>(CharacterTokenEstimator.Instance);
        services.TryAddSingleton<ICreditCalculator>(TokenCreditCalculator.Instance);
        services.TryAddSingleton<IExecutionMetricsSink, InMemoryExecutionMetricsSink>();
        if (!services.Any(d => d.ServiceType == typeof(IAuditSink)))
        {
            // The in-memory trail only when the host registered no sink itself; AddAuditSink replaces it.
            services.Add(OrchestratorBuilderIntegrationExtensions.DefaultAuditSink);
        }
        services.TryAddSingleton(CreateOrchestrator);
        services.TryAddSingleton<IWorkflowOrchestrator>(sp => sp.GetRequiredService<WorkflowOrchestrator>());
        return builder;
    }

    /// <summary>
    /// Builds the orchestrator through <see cref="WorkflowOrchestratorBuilder"/>, the one construction path, from the
    /// registered services; the options are read from the monitor at the start of every run.
    /// </summary>
    private static WorkflowOrchestrator CreateOrchestrator(IServiceProvider services)
    {
        var monitor = services.GetRequiredService<IOptionsMonitor<WorkflowOrchestratorOptions>>();
        var builder = new WorkflowOrchestratorBuilder(services.GetRequiredService<IPluginExecutor>(), services.GetRequiredService<ILlmClient>())
            .UseOptionsSource(() => monitor.CurrentValue)
            .UseTimeProvider(services.GetRequiredService<TimeProvider>())
            .UseLoggerFactory(services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance)
            .UsePlanner(services.GetRequiredService<WorkflowPlanner>())
            .AddStepResultCache(services.GetRequiredService<IStepResultCache>());
        AddIfRegistered(services.GetService<IWorkflowRegistry>(), builder.AddWorkflowRegistry);
        AddIfRegistered(services.GetService<IPluginCatalog>(), builder.AddPluginCatalog);
        AddIfRegistered(services.GetService<IMemoryStore>(), builder.AddMemoryStore);
        AddIfRegistered(services.GetService<IExecutionMetricsSink>(), builder.AddMetricsSink);
        AddIfRegistered(services.GetService<ITokenEstimator>(), builder.AddTokenEstimator);
        AddIfRegistered(services.GetService<ICreditCalculator>(), builder.AddCreditCalculator);
        AddIfRegistered(services.GetService<ICheckpointStore>(), builder.AddCheckpointStore);
        foreach (var middleware in services.GetServices<IStepMiddleware>())
        {
            builder.AddStepMiddleware(middleware);
        }

        foreach (var sink in services.GetServices<IAuditSink>())
        {
            builder.AddAuditSink(sink);
        }

        foreach (var registration in services.GetServices<PluginPipelineRegistration>())
        {
            builder.AddResiliencePipeline(registration.Plugin, registration.Configure);
        }

        return builder.Build();
    }

    /// <summary>Hands a service to the builder when the container has one; the builder's default stands otherwise.</summary>
    private static void AddIfRegistered<T>(T? service, Func<T, WorkflowOrchestratorBuilder> add)
        where T : class
    {
        if (service is not null)
        {
            add(service);
        }
    }

    /// <summary>Marks a collection the orchestrator's services were added to, so adding them again does nothing.</summary>
    private sealed class OrchestratorMarker;
}
