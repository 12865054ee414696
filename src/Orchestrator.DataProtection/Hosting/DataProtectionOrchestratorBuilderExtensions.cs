using Microsoft.AspNetCore.DataProtection;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Ports;
using Orchestrator.DataProtection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Protects the orchestrator's checkpoints with ASP.NET Core Data Protection.</summary>
public static class DataProtectionOrchestratorBuilderExtensions
{
    /// <summary>
    /// Wraps the checkpoint store registered so far in a <see cref="ProtectedCheckpointStore"/> sealing inputs, step
    /// data and approval texts with a <see cref="DataProtectionCheckpointProtector"/> over the
    /// <see cref="IDataProtectionProvider"/> resolved from the container (call <c>services.AddDataProtection()</c> and
    /// configure its key ring; every process resuming runs must share it). Call it after the store is added: a store
    /// added later replaces the wrapped one.
    /// </summary>
    /// <param name="builder">The orchestrator builder, with a checkpoint store already added.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">No checkpoint store is registered yet.</exception>
    public static IOrchestratorBuilder ProtectCheckpoints(this IOrchestratorBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(ICheckpointStore) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException("ProtectCheckpoints needs a checkpoint store: add one (such as AddInMemoryCheckpointStore or AddSqliteCheckpointStore) before calling it.");
        }

        var inner = services[index];
        services[index] = ServiceDescriptor.Singleton<ICheckpointStore>(provider =>
            new ProtectedCheckpointStore(CreateInner(provider, inner), new DataProtectionCheckpointProtector(provider.GetRequiredService<IDataProtectionProvider>())));
        return builder;
    }

    private static ICheckpointStore CreateInner(IServiceProvider provider, ServiceDescriptor inner) =>
        (ICheckpointStore)(inner.ImplementationInstance
            ?? inner.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, inner.ImplementationType!));
}
