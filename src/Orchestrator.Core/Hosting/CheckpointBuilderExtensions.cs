using System.Diagnostics.CodeAnalysis;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Ports;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Checkpoints the orchestrator's runs in a store, so they survive the process and can be resumed (see
/// <c>docs/durability.md</c>). Without a store, runs are not checkpointed and suspended runs are held in memory.
/// </summary>
public static class CheckpointBuilderExtensions
{
    private const DynamicallyAccessedMemberTypes Constructors = DynamicallyAccessedMemberTypes.PublicConstructors;

    /// <summary>Checkpoints runs in <typeparamref name="T"/>, replacing any store added before.</summary>
    /// <typeparam name="T">The store, created by the container (a singleton).</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddCheckpointStore<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, ICheckpointStore =>
        Replace(builder, ServiceDescriptor.Singleton<ICheckpointStore, T>());

    /// <summary>Checkpoints runs in the store <paramref name="factory"/> creates, replacing any store added before.</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="factory">Creates the store, once.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddCheckpointStore(this IOrchestratorBuilder builder, Func<IServiceProvider, ICheckpointStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Replace(builder, ServiceDescriptor.Singleton(factory));
    }

    /// <summary>Checkpoints runs in a process-wide <see cref="InMemoryCheckpointStore"/> (runs survive suspension, not a restart).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddInMemoryCheckpointStore(this IOrchestratorBuilder builder) =>
        Replace(builder, ServiceDescriptor.Singleton<ICheckpointStore>(new InMemoryCheckpointStore()));

    private static IOrchestratorBuilder Replace(IOrchestratorBuilder builder, ServiceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        for (var i = builder.Services.Count - 1; i >= 0; i--)
        {
            if (builder.Services[i].ServiceType == typeof(ICheckpointStore))
            {
                builder.Services.RemoveAt(i);
            }
        }

        builder.Services.Add(descriptor);
        return builder;
    }
}
