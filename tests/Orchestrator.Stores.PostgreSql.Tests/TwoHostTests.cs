using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary>
/// Two orchestrator hosts in one test process, each with its own lease owner, clock, plugins and orchestrator, sharing
/// one PostgreSQL database. A host is "killed" by freezing its clock (its lease renewal never runs again) and
/// abandoning its run; the other host's clock moves past the lease's expiry.
/// </summary>
public sealed class TwoHostTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private static readonly PostgreSqlRunHostOptions Timing = new() { Owner = "?", LeaseDuration = TimeSpan.FromSeconds(30), RenewInterval = TimeSpan.FromSeconds(10) };

    private const string Chain = """
        [ { "id": "a", "type": "action", "plugin": "calc", "action": "echo", "params": { "v": 1 } },
          { "id": "b", "type": "action", "plugin": "calc", "action": "echo", "params": { "v": "{{a.data.v}}" } },
          { "id": "c", "type": "action", "plugin": "calc", "action": "echo", "params": { "prev": "{{b.data.v}}", "v": 3 } },
          { "id": "d", "type": "action", "plugin": "calc", "action": "echo", "params": { "last": "{{c.data.v}}" } } ]
        """;

    private TestDatabase? _created;

    private TestDatabase Database => _created ??= TestDatabase.Require();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_created is not null)
        {
            await _created.DisposeAsync();
        }
    }

    private (PostgreSqlRunHost Host, RecordingPluginExecutor Plugins, TimerCountingTimeProvider Time) CreateHost(string owner, DateTimeOffset now, RecordingPluginExecutor? plugins = null)
    {
        plugins ??= new RecordingPluginExecutor();
        var time = new TimerCountingTimeProvider(now);
        var store = Database.Store(owner);
        var orchestrator = new WorkflowOrchestratorBuilder(plugins, new NoLlm()).UseTimeProvider(time).AddCheckpointStore(store).Build();
        return (new PostgreSqlRunHost(orchestrator, store, Database.Leases(), Timing with { Owner = owner }, time), plugins, time);
    }

    [SkippableFact]
    public async Task ResumeOrphanedRunsAsync_HostKilledMidRun_TheOtherHostFinishesTheRunOnceTheLeaseExpires()
    {
        var (a, aPlugins, _) = CreateHost("host-a", T0);
        var gate = aPlugins.Block("c");
        var abandoned = a.ExecuteAsync(CheckpointStoreBehaviourTests.Load(Chain), new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "run-1", Inputs = CheckpointStoreBehaviourTests.Parse("{}") }).AsTask();
        var observer = Database.Store();
        await CheckpointStoreBehaviourTests.WaitForAsync(async () => (await observer.LoadAsync("run-1"))?.Steps.Count == 2 && aPlugins.CallsFor("c") == 1);

        // Host a is now "dead": its clock never moves again, so it never renews its lease.
        var (b, bPlugins, bTime) = CreateHost("host-b", T0.AddSeconds(20));
        Assert.Empty(await b.ResumeOrphanedRunsAsync()); // The lease has not expired yet.
        bTime.Advance(TimeSpan.FromSeconds(11));
        var resumed = Assert.Single(await b.ResumeOrphanedRunsAsync());

        Assert.Equal(ExecutionStatus.Succeeded, resumed.Status);
        Assert.Equal(["c", "d"], bPlugins.Calls.Select(c => c.StepId));
        Assert.Equal(aPlugins.Calls.Single(c => c.StepId == "c").IdempotencyKey, bPlugins.Calls.First().IdempotencyKey);
        Assert.Equal(3, resumed.Steps["d"].Data.GetProperty("last").GetInt32());

        // The dead host's last call returns: its store refuses the write (it no longer holds the lease), and nothing
        // it does changes the run the other host finished.
        gate.SetResult();
        var late = await abandoned.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CheckpointErrorCodes.CheckpointFailed, late.ErrorCode);
        Assert.Contains("lease", late.Error, StringComparison.OrdinalIgnoreCase);

        // A host that wakes up past its lease may start a step before its next write is refused (plugin calls are
        // at-least-once); such a call carries the same idempotency key as the new owner's, so the plugin can drop it.
        Assert.All(aPlugins.Calls.Where(c => c.StepId == "d"), c => Assert.Equal(bPlugins.Calls.Single(x => x.StepId == "d").IdempotencyKey, c.IdempotencyKey));
        var stored = (await observer.LoadAsync("run-1"))!;
        Assert.Equal(CheckpointStatus.Finished, stored.Status);
        Assert.Equal(ExecutionStatus.Succeeded, stored.Outcome);
        Assert.Equal(["a", "b", "c", "d"], stored.Steps.Select(s => s.StepId));
    }

    [SkippableFact]
    public async Task ExecuteAsync_ALongRun_RenewsItsLeaseInTheBackgroundSoNoOtherHostTakesIt()
    {
        var (a, aPlugins, aTime) = CreateHost("host-a", T0);
        var gate = aPlugins.Block("c");
        var run = a.ExecuteAsync(CheckpointStoreBehaviourTests.Load(Chain), new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "run-1", Inputs = CheckpointStoreBehaviourTests.Parse("{}") }).AsTask();
        await CheckpointStoreBehaviourTests.WaitForAsync(() => Task.FromResult(aPlugins.CallsFor("c") == 1));
        var leases = Database.Leases();

        for (var i = 1; i <= 6; i++)
        {
            // Time moves only once the renewal waits on its timer (the i-th armed), so each step fires one renewal.
            await CheckpointStoreBehaviourTests.WaitForAsync(() => Task.FromResult(aTime.Timers >= i));
            aTime.Advance(TimeSpan.FromSeconds(10)); // Past the first lease's expiry (30 s) by the end.
            var expected = T0.AddSeconds((10 * i) + 30);
            await CheckpointStoreBehaviourTests.WaitForAsync(async () => (await leases.GetAsync("run-1"))?.ExpiresAt == expected);
        }

        var (b, _, _) = CreateHost("host-b", T0.AddSeconds(61));
        Assert.Empty(await b.ResumeOrphanedRunsAsync());
        Assert.Null(await b.TryResumeAsync("run-1"));
        gate.SetResult();
        Assert.Equal(ExecutionStatus.Succeeded, (await run.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Null(await leases.GetAsync("run-1"));
    }

    [SkippableFact]
    public async Task ExecuteAsync_LeaseTakenByAnotherHost_StopsTheRunHere()
    {
        var (a, aPlugins, aTime) = CreateHost("host-a", T0);
        var gate = aPlugins.Block("c");
        var run = a.ExecuteAsync(CheckpointStoreBehaviourTests.Load(Chain), new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "run-1", Inputs = CheckpointStoreBehaviourTests.Parse("{}") }).AsTask();
        await CheckpointStoreBehaviourTests.WaitForAsync(() => Task.FromResult(aPlugins.CallsFor("c") == 1));
        Assert.True(await Database.Leases().TryAcquireAsync("run-1", "host-b", T0.AddMinutes(5), T0.AddMinutes(1))); // b's clock is past a's expiry.

        await CheckpointStoreBehaviourTests.WaitForAsync(() => Task.FromResult(aTime.Timers >= 1));
        aTime.Advance(TimeSpan.FromSeconds(10)); // a's renewal finds the lease gone and stops its run.
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(0, aPlugins.CallsFor("d"));
        Assert.Equal(CheckpointStatus.Running, (await Database.Store().LoadAsync("run-1"))!.Status); // Still b's to resume.
    }

    [SkippableFact]
    public async Task ResumeOrphanedRunsAsync_ManyRunsOverTwoLiveHosts_RunsEachStepOfEachRunExactlyOnce()
    {
        // 30 runs whose host died right after starting them: stored, leased to the dead host, lease long expired.
        var definition = CheckpointStoreBehaviourTests.Load(Chain);
        var json = WorkflowJson.Serialize(definition);
        var seed = Database.Store();
        var leases = Database.Leases();
        var ids = Enumerable.Range(0, 30).Select(i => $"run-{i:00}").ToArray();
        foreach (var id in ids)
        {
            await leases.TryAcquireAsync(id, "dead", T0, T0.AddSeconds(-30));
            await seed.CreateRunAsync(CheckpointStoreBehaviourTests.Header(id) with { DefinitionJson = json, DefinitionHash = DefinitionHash.Compute(json) });
        }

        var calls = new ConcurrentQueue<(string Host, string ExecutionId, string StepId)>();
        var hosts = new[] { CreateHost("host-a", T0.AddMinutes(1)), CreateHost("host-b", T0.AddMinutes(1)) };
        var resumedBy = await Task.WhenAll(hosts.Select(h => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (true)
            {
                var results = await h.Host.ResumeOrphanedRunsAsync(limit: 4);
                if (results.Count == 0 && (await leases.ListOrphanedRunsAsync(T0.AddMinutes(1), 1)).Count == 0)
                {
                    return (h.Host.Owner, mine, h.Plugins);
                }

                Assert.All(results, r => Assert.Equal(ExecutionStatus.Succeeded, r.Status));
                mine.AddRange(results.Select(r => r.ExecutionId));
            }
        })));

        var all = resumedBy.SelectMany(r => r.mine).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal)); // Every run resumed, none twice.
        var stepCalls = resumedBy.SelectMany(r => r.Plugins.Calls).GroupBy(c => (c.ExecutionId, c.StepId)).ToList();
        Assert.Equal(ids.Length * 4, stepCalls.Count);
        Assert.All(stepCalls, g => Assert.Single(g));
        foreach (var id in ids)
        {
            var stored = (await seed.LoadAsync(id))!;
            Assert.Equal(CheckpointStatus.Finished, stored.Status);
            Assert.Equal(4, stored.Steps.Count);
            Assert.Null(await leases.GetAsync(id)); // Released when the run finished.
        }
    }

    [SkippableFact]
    public async Task ExecuteAsync_TwoHostsStartTheSameExecutionAtOnce_OnlyOneRunsIt()
    {
        var hosts = new[] { CreateHost("host-a", T0), CreateHost("host-b", T0) };
        var definition = CheckpointStoreBehaviourTests.Load(Chain);
        await Database.Leases().ListOrphanedRunsAsync(T0, 1); // Creates the tables before the race.

        var outcomes = await Task.WhenAll(hosts.Select(h => Task.Run(async () =>
        {
            try
            {
                return (Result: (WorkflowExecutionResult?)await h.Host.ExecuteAsync(definition, new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "run-1", Inputs = CheckpointStoreBehaviourTests.Parse("{}") }), Refused: false);
            }
            catch (InvalidOperationException)
            {
                return (Result: (WorkflowExecutionResult?)null, Refused: true);
            }
        })));

        // Either the second host found the lease taken, or (when the first had already finished and let it go) the
        // run's id already stored: in no case did a step run twice.
        Assert.Single(outcomes, o => o.Result is { Status: ExecutionStatus.Succeeded });
        Assert.All(hosts.SelectMany(h => h.Plugins.Calls).GroupBy(c => c.StepId), g => Assert.Single(g));
    }

    [SkippableFact]
    public async Task TryResumeAsync_ApprovalSubmittedThroughAnotherHost_ContinuesTheSuspendedRun()
    {
        const string review = """
            [ { "id": "prepare", "type": "action", "plugin": "calc", "action": "echo", "params": { "n": 2 } },
              { "id": "review", "type": "human_approval", "approvers": ["ann"] },
              { "id": "send", "type": "action", "plugin": "calc", "action": "echo", "params": { "n": "{{prepare.data.n}}" }, "dependencies": ["review"] } ]
            """;
        var (a, aPlugins, _) = CreateHost("host-a", T0);
        var suspended = await a.ExecuteAsync(CheckpointStoreBehaviourTests.Load(review), new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "run-1", Inputs = CheckpointStoreBehaviourTests.Parse("{}") });
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);
        Assert.Null(await Database.Leases().GetAsync("run-1")); // A suspended run holds no lease.
        var (b, bPlugins, _) = CreateHost("host-b", T0.AddMinutes(5));
        var bOrchestrator = new WorkflowOrchestratorBuilder(bPlugins, new NoLlm()).AddCheckpointStore(Database.Store("host-b")).Build();

        Assert.True(await bOrchestrator.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "run-1", StepId = "review", Approver = "ann", Approved = true }));
        var result = await b.TryResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result!.Status);
        Assert.Equal(["prepare"], aPlugins.Calls.Select(c => c.StepId));
        Assert.Equal(["send"], bPlugins.Calls.Select(c => c.StepId));
        Assert.Null(await b.TryResumeAsync("run-1")); // Finished: nothing to resume.
    }

    private sealed class NoLlm : ILlmClient
    {
        public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("No LLM in these tests.");
    }

    /// <summary>A fake clock that counts the timers armed on it (the host's renewal waits), so a test moves time only once one waits.</summary>
    private sealed class TimerCountingTimeProvider(DateTimeOffset now) : FakeTimeProvider(now)
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
