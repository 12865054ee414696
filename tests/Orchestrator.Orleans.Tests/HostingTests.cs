using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Orleans.Client;
using Orchestrator.Orleans.Grains;

namespace Orchestrator.Orleans.Tests;

/// <summary>The DI builders: what a silo and a client register.</summary>
public sealed class HostingTests
{
    [Fact]
    public void Run_grains_without_a_shared_checkpoint_store_are_refused_naming_the_fix()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<InvalidOperationException>(() => services.AddWorkflowOrchestrator().AddOrleansRunGrains());
        Assert.Contains("AddCheckpointStore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_s_store_is_fenced_so_a_run_handed_over_writes_nothing_more_here()
    {
        var store = new InMemoryCheckpointStore();
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator().AddCheckpointStore(_ => store).AddOrleansRunGrains();
        await using var provider = services.BuildServiceProvider();
        var fenced = provider.GetRequiredService<ICheckpointStore>();
        var fence = provider.GetRequiredService<RunFence>();

        fence.Fence("r1");
        await Assert.ThrowsAsync<RunHandedOverException>(() => fenced.SetStatusAsync("r1", CheckpointStatus.Finished, ExecutionStatus.Succeeded, DateTimeOffset.UnixEpoch).AsTask());
        fence.Admit("r1");
        await fenced.CreateRunAsync(new RunCheckpoint { ExecutionId = "r1", WorkflowId = "w", DefinitionJson = "{}", DefinitionHash = "h", Inputs = default, UserId = "u1", CreatedAt = DateTimeOffset.UnixEpoch });
        Assert.NotNull(await store.LoadAsync("r1")); // Admitted again: the write reached the store.
        fence.FenceAll();
        Assert.True(fence.Leaving.IsCancellationRequested);
        await Assert.ThrowsAsync<RunHandedOverException>(() => fenced.AppendStepsAsync("r2", []).AsTask());
    }

    [Fact]
    public void A_client_s_orchestrator_is_the_cluster_s()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Substitute.For<IGrainFactory>()); // The Orleans client, at the host boundary.
        services.AddWorkflowOrchestrator().UseOrleansCluster();
        using var provider = services.BuildServiceProvider();
        Assert.IsType<OrleansWorkflowOrchestrator>(provider.GetRequiredService<IWorkflowOrchestrator>());
    }
}
