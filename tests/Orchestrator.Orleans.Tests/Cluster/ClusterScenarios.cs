using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;
using Orchestrator.Durability.Testing;
using Orchestrator.Orleans.Grains;

namespace Orchestrator.Orleans.Tests.Cluster;

/// <summary>
/// The scale-out scenarios of issue 13, written once and run on the in-memory providers and on PostgreSQL clustering
/// and reminders: a silo killed mid-way, an approval decided after its run's silo died, a graceful shutdown.
/// </summary>
public static class ClusterScenarios
{
    /// <summary>The runs of the kill scenario (the 1,000; the whole scenario takes well under a minute here).</summary>
    public const int Runs = 1000;

    /// <summary>Steps per run.</summary>
    public const int Steps = 20;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>A chain of echo steps: each passes the seed on, so the output depends on every step having run.</summary>
    public static WorkflowDefinition Chain(int steps)
    {
        var list = new List<string>();
        for (var k = 1; k <= steps; k++)
        {
            var v = k == 1 ? "{{input.seed}}" : "{{s" + (k - 1).ToString(CultureInfo.InvariantCulture) + ".data.v}}";
            list.Add($$"""{ "id": "s{{k}}", "type": "action", "plugin": "calc", "action": "echo", "params": { "v": "{{v}}", "k": {{k}} } }""");
        }

        return Load($$"""
            { "id": "chain", "input_schema": [ { "name": "seed", "type": "string", "required": true } ],
              "workflow_steps": [ {{string.Join(",\n", list)}} ] }
            """);
    }

    public static WorkflowDefinition Load(string json) => WorkflowJson.Load(json).Definition ?? throw new InvalidOperationException(string.Join("; ", WorkflowJson.Load(json).Diagnostics));

    public static WorkflowExecutionRequest Request(string id, string seed) => new()
    {
        UserId = "u1",
        ExecutionId = id,
        Inputs = JsonDocument.Parse($$"""{ "seed": "{{seed}}" }""").RootElement.Clone(),
    };

    /// <summary>
    /// 3 silos, <paramref name="runs"/> runs spread over them, one secondary silo killed while every run waits at its
    /// middle step.
    /// With <paramref name="orphans"/>, a tenth of the runs have no caller waiting: only their reminders can bring
    /// them back.
    /// </summary>
    public static async Task KilledSiloAsync(OrleansTestCluster cluster, int runs, int steps, bool orphans)
    {
        var definition = Chain(steps);
        var ids = Enumerable.Range(0, runs).Select(i => "kill-" + i.ToString("D4", CultureInfo.InvariantCulture)).ToArray();
        var baseline = await BaselineAsync(definition, ids);
        var orphaned = orphans ? ids.Where((_, i) => i % 10 == 0).ToHashSet(StringComparer.Ordinal) : [];

        // Every run is held at its middle step until the kill, so the dead silo surely has runs in flight: waiting for
        // half of all steps to have run was a race the runs could win (they all finished before the kill landed).
        var middle = "s" + (steps / 2).ToString(CultureInfo.InvariantCulture);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.World.Hold = (middle, gate);
        var waited = new List<Task<WorkflowExecutionResult>>();
        foreach (var id in ids)
        {
            if (orphaned.Contains(id))
            {
                // Started, and nobody waits: the grain's reminder is all that finishes it after its silo dies.
                await cluster.Cluster.Client.GetGrain<IWorkflowRunGrain>(id).StartAsync(WorkflowJson.Serialize(definition), RunJsonOf(Request(id, id)), null);
            }
            else
            {
                waited.Add(cluster.Orchestrator.ExecuteAsync(definition, Request(id, id)).AsTask());
            }
        }

        await UntilAsync(() => cluster.World.Calls.Where(c => c.StepId == middle).Select(c => c.ExecutionId).Distinct().Count() == runs, "every run to reach its middle step");
        var victim = cluster.Cluster.SecondarySilos[0];
        await cluster.KillAsync(victim);
        gate.SetResult();

        var results = await Task.WhenAll(waited).WaitAsync(Patience);
        await UntilAsync(() => orphaned.All(id => cluster.World.Store.RunFinished.ContainsKey(id)), "the orphaned runs to finish through their reminders");

        Assert.All(results, r => Assert.Equal(ExecutionStatus.Succeeded, r.Status));
        foreach (var result in results)
        {
            Assert.True(JsonElement.DeepEquals(baseline[result.ExecutionId], result.Output), $"Run {result.ExecutionId}: {result.Output} differs from the uninterrupted {baseline[result.ExecutionId]}.");
        }

        foreach (var id in orphaned)
        {
            var stored = await cluster.World.Store.LoadAsync(id);
            Assert.Equal(ExecutionStatus.Succeeded, stored!.Outcome);
        }

        AssertExactlyOnce(cluster.World, ids, steps);

        // Not vacuous: the dead silo had runs in flight, and they finished on live silos.
        var victimName = victim.Name;
        var moved = ids.Count(id => cluster.World.Calls.Any(c => c.ExecutionId == id && c.Silo == victimName)
            && cluster.World.Calls.Any(c => c.ExecutionId == id && c.Silo != victimName));
        Assert.True(moved > 0, "No run of the killed silo went on elsewhere: the kill came too late to test anything.");
    }

    /// <summary>A run suspended at an approval on one silo, approved and resumed through another after the first died.</summary>
    public static async Task ApprovalAfterSiloDiedAsync(OrleansTestCluster cluster)
    {
        var definition = Load("""
            { "id": "review", "workflow_steps": [
              { "id": "prepare", "type": "action", "plugin": "calc", "action": "echo", "params": { "n": 2 } },
              { "id": "review", "type": "human_approval", "approvers": ["ann"], "dependencies": ["prepare"] },
              { "id": "send", "type": "action", "plugin": "calc", "action": "echo", "params": { "n": "{{prepare.data.n}}" }, "dependencies": ["review"] } ] }
            """);

        // With the test membership the primary silo holds the membership table, so it is not the one to kill (with
        // ADO.NET clustering there is no primary: any silo may die).
        var primary = cluster.Cluster.Primary?.Name;

        // Placement is not ours to choose: runs are started a dozen at a time until one lands on a silo that may die (a
        // single dozen once all landed on the primary).
        TestWorld.PluginCall? call = null;
        for (var batch = 0; batch < 8 && call is null; batch++)
        {
            var ids = Enumerable.Range(batch * 12, 12).Select(i => "approve-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            var suspended = await Task.WhenAll(ids.Select(id => cluster.Orchestrator.ExecuteAsync(definition, new WorkflowExecutionRequest { UserId = "u1", ExecutionId = id }).AsTask()));
            Assert.All(suspended, r => Assert.Equal(ExecutionStatus.Suspended, r.Status));
            Assert.All(suspended, r => Assert.Equal("review", Assert.Single(r.PendingApprovals).StepId));
            call = cluster.World.Calls.FirstOrDefault(c => c.StepId == "prepare" && c.Silo != primary);
        }

        if (call is null)
        {
            Assert.Fail("No run's first step ran off the primary silo in 96 runs: there is no silo to kill that held one.");
        }
        var first = cluster.Cluster.Silos.Single(s => s.Name == call.Silo);

        // A suspended run costs no memory: its grain is gone.
        await cluster.Cluster.WaitForDeactivationAsync(cluster.Cluster.Client.GetGrain<IWorkflowRunGrain>(call.ExecutionId)).WaitAsync(Patience);

        await cluster.KillAsync(first);
        var other = OrleansTestCluster.OrchestratorOn(cluster.Cluster.Silos.First(s => s != first && s.IsActive));

        Assert.True(await other.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = call.ExecutionId, StepId = "review", Approver = "ann", Approved = true }));
        var result = await other.ResumeAsync(call.ExecutionId).AsTask().WaitAsync(Patience);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, result.Steps["send"].Data.GetProperty("n").GetInt32());
        Assert.Single(cluster.World.Calls, c => c.ExecutionId == call.ExecutionId && c.StepId == "prepare");
        Assert.Single(cluster.World.Calls, c => c.ExecutionId == call.ExecutionId && c.StepId == "send");
        Assert.NotEqual(first.Name, cluster.World.Calls.Single(c => c.ExecutionId == call.ExecutionId && c.StepId == "send").Silo);
        Assert.Equal(1, cluster.World.Store.RunFinished[call.ExecutionId]);
    }

    /// <summary>A secondary silo shut down gracefully while its runs run: they go on elsewhere, none fails.</summary>
    public static async Task GracefulShutdownAsync(OrleansTestCluster cluster, int runs, int steps)
    {
        var definition = Chain(steps);
        var ids = Enumerable.Range(0, runs).Select(i => "stop-" + i.ToString("D4", CultureInfo.InvariantCulture)).ToArray();
        var baseline = await BaselineAsync(definition, ids);
        // Every run is held at its middle step, so the leaving silo surely has runs in flight when it stops.
        var middle = "s" + (steps / 2).ToString(CultureInfo.InvariantCulture);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.World.Hold = (middle, gate);
        var tasks = ids.Select(id => cluster.Orchestrator.ExecuteAsync(definition, Request(id, id)).AsTask()).ToArray();

        await UntilAsync(() => cluster.World.Calls.Where(c => c.StepId == middle).Select(c => c.ExecutionId).Distinct().Count() == runs, "every run to reach its middle step");
        var leaving = cluster.Cluster.SecondarySilos.First(s => cluster.World.Calls.Any(c => c.Silo == s.Name));
        var finishedAtStop = cluster.World.Store.RunFinished.Count;
        var onLeaving = cluster.World.Calls.Where(c => c.Silo == leaving.Name).Select(c => c.ExecutionId).Distinct().Count();
        await cluster.Cluster.StopSiloAsync(leaving);
        gate.SetResult();

        var results = await Task.WhenAll(tasks).WaitAsync(Patience);
        Assert.All(results, r => Assert.Equal(ExecutionStatus.Succeeded, r.Status));
        foreach (var result in results)
        {
            Assert.True(JsonElement.DeepEquals(baseline[result.ExecutionId], result.Output), $"Run {result.ExecutionId} differs from the uninterrupted run.");
        }

        AssertExactlyOnce(cluster.World, ids, steps);
        var handedOver = ids.Count(id => cluster.World.Calls.Any(c => c.ExecutionId == id && c.Silo == leaving.Name)
            && cluster.World.Calls.Any(c => c.ExecutionId == id && c.Silo != leaving.Name));
        Assert.True(handedOver > 0, $"No run was handed over: the shutdown came too late to test anything ({finishedAtStop} runs had finished, {onLeaving} had run on the leaving silo).");
    }

    /// <summary>
    /// Each run stored as finished once; each step's calls all carry one idempotency key of its own; no call came after
    /// its step's finish was stored (a step with a stored finish never runs again); every step ran.
    /// </summary>
    public static void AssertExactlyOnce(TestWorld world, IReadOnlyList<string> ids, int steps)
    {
        foreach (var id in ids)
        {
            Assert.True(world.Store.RunFinished.TryGetValue(id, out var finished), $"Run {id} was never stored as finished.");
            Assert.Equal(1, finished);
        }

        var calls = world.Calls.ToArray();
        Assert.All(calls, c => Assert.False(string.IsNullOrEmpty(c.IdempotencyKey), $"A call of {c.ExecutionId}/{c.StepId} has no idempotency key."));
        var byStep = calls.GroupBy(c => c.ExecutionId + "/" + c.StepId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        foreach (var id in ids)
        {
            for (var k = 1; k <= steps; k++)
            {
                var key = id + "/s" + k.ToString(CultureInfo.InvariantCulture);
                Assert.True(byStep.TryGetValue(key, out var stepCalls), $"Step {key} never ran.");
                Assert.Single(stepCalls.Select(c => c.IdempotencyKey).Distinct(StringComparer.Ordinal));
                var stored = world.Store.StepFinished[key];
                Assert.All(stepCalls, c => Assert.True(c.Sequence < stored, $"Step {key} ran again (call {c.Sequence} on {c.Silo}) after its finish was stored ({stored})."));
            }
        }

        Assert.Equal(byStep.Count, calls.Select(c => c.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>The outputs an uninterrupted run gives: the same runs in one process, no cluster.</summary>
    public static async Task<Dictionary<string, JsonElement>> BaselineAsync(WorkflowDefinition definition, IEnumerable<string> ids)
    {
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator().AddPluginExecutor(_ => new RecordingPluginExecutor());
        await using var provider = services.BuildServiceProvider();
        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();
        var outputs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var result = await orchestrator.ExecuteAsync(definition, Request("baseline-" + id, id));
            Assert.Equal(ExecutionStatus.Succeeded, result.Status);
            outputs[id] = result.Output;
        }

        return outputs;
    }

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > Patience)
            {
                throw new TimeoutException($"Waited {Patience} for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }

    private static string RunJsonOf(WorkflowExecutionRequest request) => Serialization.RunJson.Serialize(request);
}
