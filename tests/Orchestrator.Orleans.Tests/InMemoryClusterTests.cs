using Orchestrator.Core.Durability;
using Orchestrator.Orleans.Tests.Cluster;

namespace Orchestrator.Orleans.Tests;

/// <summary>The scale-out scenarios on real in-process silos with Orleans' in-memory membership and reminders.</summary>
public sealed class InMemoryClusterTests
{
    private static TestWorld World() => new(new InMemoryCheckpointStore(), TimeSpan.FromSeconds(2));

    [Fact]
    public async Task Killing_one_of_three_silos_mid_way_finishes_every_run_exactly_once_with_the_uninterrupted_output()
    {
        await using var cluster = await OrleansTestCluster.StartAsync(World(), silos: 3);
        await ClusterScenarios.KilledSiloAsync(cluster, ClusterScenarios.Runs, ClusterScenarios.Steps, orphans: false);
    }

    [Fact]
    public async Task A_run_suspended_on_a_silo_that_died_is_approved_and_resumed_through_another_silo()
    {
        await using var cluster = await OrleansTestCluster.StartAsync(World(), silos: 3);
        await ClusterScenarios.ApprovalAfterSiloDiedAsync(cluster);
    }

    [Fact]
    public async Task A_silo_shut_down_gracefully_hands_its_runs_over_without_failing_them()
    {
        await using var cluster = await OrleansTestCluster.StartAsync(World(), silos: 3);
        await ClusterScenarios.GracefulShutdownAsync(cluster, runs: 300, ClusterScenarios.Steps);
    }
}
