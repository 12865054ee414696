using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Orleans.Client;
using Orchestrator.Orleans.Tests.Cluster;

namespace Orchestrator.Orleans.Tests;

/// <summary>The client-side orchestrator over a 2-silo cluster: streaming, cancel, status and bad input.</summary>
public sealed class ClusterClientTests
{
    private static TestWorld World() => new(new InMemoryCheckpointStore(), TimeSpan.FromSeconds(2));

    [Fact]
    public async Task Streaming_through_the_cluster_delivers_every_step_event_in_order_and_ends_with_the_result()
    {
        await using var cluster = await OrleansTestCluster.StartAsync(World(), silos: 2);
        var plan = new Core.Planning.WorkflowPlanner().Plan(ClusterScenarios.Chain(5)).Plan!;

        var events = new List<ExecutionEvent>();
        await foreach (var @event in cluster.Orchestrator.ExecuteStreamingAsync(plan, ClusterScenarios.Request("stream-1", "x")))
        {
            events.Add(@event);
        }

        var steps = events.Where(e => e is StepStartedEvent or StepFinishedEvent).ToList();
        Assert.Equal(
            ["s1", "s1", "s2", "s2", "s3", "s3", "s4", "s4", "s5", "s5"],
            steps.Select(e => e switch { StepStartedEvent s => s.StepId, StepFinishedEvent f => f.Result.StepId, _ => "?" }));
        Assert.All(steps.Where((_, i) => i % 2 == 0), e => Assert.IsType<StepStartedEvent>(e));
        var end = Assert.IsType<ExecutionFinishedEvent>(events[^1]);
        Assert.Equal(ExecutionStatus.Succeeded, end.Result.Status);
        Assert.Equal("x", end.Result.Steps["s5"].Data.GetProperty("v").GetString());
        Assert.Single(events, e => e is ExecutionFinishedEvent);
    }

    [Fact]
    public async Task A_run_can_be_cancelled_and_its_status_read_from_any_client()
    {
        await using var cluster = await OrleansTestCluster.StartAsync(World(), silos: 2);
        var client = (OrleansWorkflowOrchestrator)cluster.Orchestrator;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.World.Gates["cancel-1/s2"] = gate; // s2 waits (honouring its cancellation) until the gate opens.

        Assert.Equal(ClusterRunState.Unknown, (await client.GetStatusAsync("cancel-1")).State);
        var running = client.ExecuteAsync(ClusterScenarios.Chain(3), ClusterScenarios.Request("cancel-1", "x")).AsTask();
        await ClusterScenarios.UntilAsync(() => cluster.World.Calls.Any(c => c.ExecutionId == "cancel-1" && c.StepId == "s2"), "step s2 to start");

        Assert.Equal(ClusterRunState.Running, (await client.GetStatusAsync("cancel-1")).State);
        Assert.True(await OrleansTestCluster.OrchestratorOn(cluster.Cluster.Silos[1]).CancelAsync("cancel-1"));
        var result = await running.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.DoesNotContain(cluster.World.Calls, c => c.ExecutionId == "cancel-1" && c.StepId == "s3");
        var status = await client.GetStatusAsync("cancel-1");
        Assert.Equal(new ClusterRunStatus("cancel-1", ClusterRunState.Finished, ExecutionStatus.Cancelled), status);
        Assert.False(await client.CancelAsync("cancel-1"));
    }

    [Fact]
    public async Task Bad_input_comes_back_as_a_rejected_run_or_the_interface_s_documented_exception()
    {
        await using var cluster = await OrleansTestCluster.StartAsync(World(), silos: 2);
        var orchestrator = cluster.Orchestrator;

        // A definition that loads but does not plan: rejected by the silo's orchestrator, naming the problem.
        var unplannable = ClusterScenarios.Load("""
            { "id": "loop", "workflow_steps": [
              { "id": "a", "type": "action", "plugin": "calc", "action": "echo", "dependencies": ["b"] },
              { "id": "b", "type": "action", "plugin": "calc", "action": "echo", "dependencies": ["a"] } ] }
            """);
        var rejected = await orchestrator.ExecuteAsync(unplannable, new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "bad-1" });
        Assert.Equal(ExecutionStatus.Rejected, rejected.Status);
        Assert.Equal("INVALID_WORKFLOW", rejected.ErrorCode);

        // Unknown runs: the same exceptions the in-process orchestrator documents.
        await Assert.ThrowsAsync<InvalidOperationException>(() => orchestrator.ResumeAsync("nobody").AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => orchestrator.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "nobody", StepId = "review", Approver = "ann", Approved = true }).AsTask());
        Assert.Empty(cluster.World.Calls);
    }
}
