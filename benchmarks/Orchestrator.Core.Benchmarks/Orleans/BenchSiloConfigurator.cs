using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Benchmarks.Execution;
using Orchestrator.Core.Ports;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Orchestrator.Core.Benchmarks.Orleans;

/// <summary>
/// A benchmark silo: the run grains over the no-op plugins, the in-memory checkpoint store every silo of the cluster
/// shares (as a shared database would be), and Orleans' in-memory reminders with their production defaults (each run
/// registers its reminder and drops it when it ends: that cost is part of what is measured).
/// </summary>
public sealed class BenchSiloConfigurator : ISiloConfigurator
{
    /// <summary>The store of the cluster being built (configurators are created by Orleans with no arguments).</summary>
    internal static ICheckpointStore? Store { get; set; }

    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        var store = Store ?? throw new InvalidOperationException("Set BenchSiloConfigurator.Store first.");
        siloBuilder.Services.AddWorkflowOrchestrator()
            .AddPluginExecutor(_ => new NoopPluginExecutor())
            .AddLlmClient(_ => new ThrowingLlmClient())
            .AddCheckpointStore(_ => store)
            .AddOrleansRunGrains();
        siloBuilder.UseInMemoryReminderService();
    }
}
