using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Orleans.Client;
using Orchestrator.Orleans.Hosting;
using Orleans.TestingHost;

namespace Orchestrator.Orleans.Tests.Cluster;

/// <summary>A real in-process cluster of several silos sharing one <see cref="TestWorld"/>, and its clients.</summary>
public sealed class OrleansTestCluster : IAsyncDisposable
{
    /// <summary>How long a call waits for its answer: above the clients' wait slice (5 s), below Orleans' 30 s default.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(8);

    private readonly ServiceProvider _client;

    private OrleansTestCluster(TestCluster cluster, TestWorld world)
    {
        Cluster = cluster;
        World = world;

        // The host's side, as a host would write it: the orchestrator from DI, over the cluster.
        var services = new ServiceCollection();
        services.AddSingleton<IGrainFactory>(cluster.Client);
        services.AddWorkflowOrchestrator().UseOrleansCluster(o =>
        {
            o.WaitSlice = TimeSpan.FromSeconds(5);
            o.RetryDelay = TimeSpan.FromMilliseconds(100);
        });
        _client = services.BuildServiceProvider();
        Orchestrator = _client.GetRequiredService<IWorkflowOrchestrator>();
    }

    public TestCluster Cluster { get; }

    public TestWorld World { get; }

    /// <summary>The external client's orchestrator (connected to every silo's gateway).</summary>
    public IWorkflowOrchestrator Orchestrator { get; }

    public static async Task<OrleansTestCluster> StartAsync(TestWorld world, int silos)
    {
        TestWorld.Current = world;
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.UseTestClusterMembership = world.Postgres is null;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new OrleansTestCluster(cluster, world);
    }

    public static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    public static string Name(SiloHandle silo) => silo.Name;

    /// <summary>An orchestrator co-hosted on one silo: a client that reaches the cluster through that silo only.</summary>
    public static OrleansWorkflowOrchestrator OrchestratorOn(SiloHandle silo) =>
        new(Services(silo).GetRequiredService<IGrainFactory>(), new OrleansClusterClientOptions { WaitSlice = TimeSpan.FromSeconds(5), RetryDelay = TimeSpan.FromMilliseconds(100) });

    /// <summary>Kills a silo as a machine dies: it does nothing visible from now on, then Orleans kills it.</summary>
    public async Task KillAsync(SiloHandle silo)
    {
        Services(silo).GetRequiredService<SiloLife>().Die();
        await Cluster.KillSiloAsync(silo);
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        try
        {
            await Cluster.StopAllSilosAsync();
        }
        finally
        {
            await Cluster.DisposeAsync();
            TestWorld.Current = null;
        }
    }
}
