using Orchestrator.Orleans.Tests.Cluster;
using Orchestrator.Orleans.Tests.PostgreSql;

namespace Orchestrator.Orleans.Tests;

/// <summary>
/// The scale-out scenarios as production runs them: ADO.NET clustering and reminders on PostgreSQL, and the runs'
/// checkpoints in the PostgreSQL store, on the real server <c>.ci/run</c> starts.
/// </summary>
public sealed class PostgreSqlClusterTests
{
    /// <summary>
    /// The kill scenario's runs here: fewer than the in-memory scenario's 1,000, as every step is a write to the shared
    /// server on a 2-core machine; a tenth of them have no waiting caller, so only their PostgreSQL reminders finish them.
    /// </summary>
    public const int Runs = 200;

    [SkippableFact]
    public async Task Killing_one_of_three_silos_finishes_every_run_exactly_once_and_reminders_resume_the_runs_nobody_waits_for()
    {
        await using var database = await OrleansDatabase.CreateAsync();
        await using var cluster = await OrleansTestCluster.StartAsync(new TestWorld(database.CheckpointStore(), TimeSpan.FromSeconds(2), database.ConnectionString), silos: 3);
        await ClusterScenarios.KilledSiloAsync(cluster, Runs, ClusterScenarios.Steps, orphans: true);
    }

    [SkippableFact]
    public async Task A_run_suspended_on_a_silo_that_died_is_approved_and_resumed_through_another_silo()
    {
        await using var database = await OrleansDatabase.CreateAsync();
        await using var cluster = await OrleansTestCluster.StartAsync(new TestWorld(database.CheckpointStore(), TimeSpan.FromSeconds(2), database.ConnectionString), silos: 3);
        await ClusterScenarios.ApprovalAfterSiloDiedAsync(cluster);
    }

    [SkippableFact]
    public async Task A_silo_shut_down_gracefully_hands_its_runs_over_without_failing_them()
    {
        await using var database = await OrleansDatabase.CreateAsync();
        await using var cluster = await OrleansTestCluster.StartAsync(new TestWorld(database.CheckpointStore(), TimeSpan.FromSeconds(2), database.ConnectionString), silos: 3);
        await ClusterScenarios.GracefulShutdownAsync(cluster, runs: 100, ClusterScenarios.Steps);
    }
}
