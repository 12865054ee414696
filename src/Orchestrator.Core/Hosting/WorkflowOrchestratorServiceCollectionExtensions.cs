using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Usage;
using Polly;

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

    private static WorkflowOrchestrator CreateOrchestrator(IServiceProvider services)
    {
        var monitor = services.GetRequiredService<IOptionsMonitor<WorkflowOrchestratorOptions>>();
        var timeProvider = services.GetRequiredService<TimeProvider>();
        return new WorkflowOrchestrator(
            () => monitor.CurrentValue,
            services.GetRequiredService<IPluginExecutor>(),
            services.GetRequiredService<ILlmClient>(),
            timeProvider,
            services.GetService<IWorkflowRegistry>(),
            services.GetRequiredService<IStepResultCache>(),
            [.. services.GetServices<IStepMiddleware>()],
            BuildPluginPipelines(services.GetServices<PluginPipelineRegistration>(), timeProvider),
            services.GetRequiredService<WorkflowPlanner>(),
            (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<WorkflowOrchestrator>(),
            new HostServices
            {
                MemoryStore = services.GetService<IMemoryStore>(),
                AuditSinks = [.. services.GetServices<IAuditSink>()],
                MetricsSink = services.GetService<IExecutionMetricsSink>(),
                TokenEstimator = services.GetService<ITokenEstimator>() ?? CharacterTokenEstimator.Instance,
                CreditCalculator = services.GetService<ICreditCalculator>() ?? TokenCreditCalculator.Instance,
                PluginCatalog = services.GetService<IPluginCatalog>(),
            },
            services.GetService<ICheckpointStore>());
    }

    /// <summary>One pipeline per plugin: the strategies of every <c>AddResiliencePipeline</c> call for it, in call order.</summary>
    private static Dictionary<string, ResiliencePipeline<StepOutcome>> BuildPluginPipelines(IEnumerable<PluginPipelineRegistration> registrations, TimeProvider timeProvider)
    {
        var builders = new Dictionary<string, ResiliencePipelineBuilder<StepOutcome>>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (!builders.TryGetValue(registration.Plugin, out var builder))
            {
                builder = new ResiliencePipelineBuilder<StepOutcome> { TimeProvider = timeProvider };
                builders.Add(registration.Plugin, builder);
            }

            registration.Configure(builder);
        }

        return builders.ToDictionary(b => b.Key, b => b.Value.Build(), StringComparer.Ordinal);
    }

    /// <summary>Marks a collection the orchestrator's services were added to, so adding them again does nothing.</summary>
    private sealed class OrchestratorMarker;
}
