using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Orleans.Grains;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Orchestrator.Orleans.Tests.Cluster;

/// <summary>
/// Each silo of a test cluster: an orchestrator of its own (its own plugins and life, the world's shared store), the
/// run grains, reminders (in memory, or ADO.NET on PostgreSQL), and failure detection fast enough for a test.
/// </summary>
public sealed class SiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        var world = TestWorld.Current ?? throw new InvalidOperationException("Set TestWorld.Current before deploying a cluster.");
        siloBuilder.Services.AddSingleton(sp => new SiloLife(sp.GetRequiredService<RunFence>()));
        siloBuilder.Services.AddWorkflowOrchestrator()
            .AddPluginExecutor(sp => new SiloPluginExecutor(world, sp.GetRequiredService<SiloLife>(), sp.GetRequiredService<ILocalSiloDetails>().Name))
            .AddCheckpointStore(_ => world.Store)
            .AddOrleansRunGrains(o => o.ReminderPeriod = world.ReminderPeriod);

        // Orleans refuses reminder periods below this minimum (1 minute by default, which production should keep).
        siloBuilder.Configure<ReminderOptions>(o =>
        {
            o.MinimumReminderPeriod = world.ReminderPeriod;
            o.RefreshReminderListPeriod = TimeSpan.FromSeconds(1);
        });
        siloBuilder.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = OrleansTestCluster.ResponseTimeout);
        siloBuilder.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
        });
        if (world.Postgres is { } connection)
        {
            siloBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connection;
            });
            siloBuilder.UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connection;
            });
        }
        else
        {
            siloBuilder.UseInMemoryReminderService();
        }
    }
}
