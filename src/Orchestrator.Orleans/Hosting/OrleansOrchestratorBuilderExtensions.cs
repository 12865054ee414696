using Orchestrator.Core.Ports;
using Orchestrator.Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Execution;
using Orchestrator.Orleans.Client;
using Orchestrator.Orleans.Grains;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs workflows on an Orleans cluster: the run grains on silos, the cluster orchestrator on clients.</summary>
public static class OrleansOrchestratorBuilderExtensions
{
    /// <summary>
    /// On a client of the cluster (or a co-hosted silo): <see cref="IWorkflowOrchestrator"/> becomes an
    /// <see cref="OrleansWorkflowOrchestrator"/>, so each run goes to its grain in the cluster. Needs the Orleans client
    /// (<c>UseOrleansClient</c>) or silo (<c>UseOrleans</c>) in the same container for its <see cref="IGrainFactory"/>.
    /// </summary>
    /// <param name="builder">The orchestrator's builder.</param>
    /// <param name="configure">Sets how the client waits for runs; the defaults when null.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder UseOrleansCluster(this IOrchestratorBuilder builder, Action<OrleansClusterClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<OrleansClusterClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton(sp => new OrleansWorkflowOrchestrator(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IOptions<OrleansClusterClientOptions>>().Value,
            sp.GetService<TimeProvider>()));
        _ = builder.Services.RemoveAll<IWorkflowOrchestrator>();
        builder.Services.AddSingleton<IWorkflowOrchestrator>(sp => sp.GetRequiredService<OrleansWorkflowOrchestrator>());
        return builder;
    }

    /// <summary>
    /// On a silo: the run grains, running each run with this container's orchestrator (its plugins, LLM, memory, audit
    /// and checkpoint store). Call it after the checkpoint store is added (every silo must share one, such as
    /// PostgreSQL's); the silo needs a reminder service (<c>UseInMemoryReminderService</c> in tests, ADO.NET reminders
    /// in production).
    /// </summary>
    /// <param name="builder">The orchestrator's builder.</param>
    /// <param name="configure">Sets the reminder period and hand-over timeout; the defaults when null.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">No checkpoint store was added before.</exception>
    public static IOrchestratorBuilder AddOrleansRunGrains(this IOrchestratorBuilder builder, Action<OrleansRunGrainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<OrleansRunGrainOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(RunFence)))
        {
            return builder;
        }

        var index = -1;
        for (var i = services.Count - 1; i >= 0 && index < 0; i--)
        {
            index = services[i].ServiceType == typeof(ICheckpointStore) ? i : -1;
        }

        if (index < 0)
        {
            throw new InvalidOperationException($"{nameof(AddOrleansRunGrains)} needs a checkpoint store every silo shares: call AddCheckpointStore (such as the PostgreSQL store's) before it.");
        }

        // The silo's store, fenced: a run this silo handed over writes nothing more here.
        var original = services[index];
        services.AddSingleton(sp =>
        {
            // A silo whose host stops hands its runs over at once, rather than letting them run on while it drains.
            var fence = new RunFence();
            _ = sp.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(fence.FenceAll);
            return fence;
        });
        services[index] = ServiceDescriptor.Singleton<ICheckpointStore>(sp => new FencedCheckpointStore(Create(original, sp), sp.GetRequiredService<RunFence>()));
        return builder;
    }

    private static ICheckpointStore Create(ServiceDescriptor descriptor, IServiceProvider services) =>
        descriptor.ImplementationInstance as ICheckpointStore
        ?? descriptor.ImplementationFactory?.Invoke(services) as ICheckpointStore
        ?? (ICheckpointStore)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
