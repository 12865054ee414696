using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.PostgreSql.Tests;

public sealed class LeaseTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase? _created;

    private TestDatabase _database => _created ??= TestDatabase.Require();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_created is not null)
        {
            await _created.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task TryAcquireAsync_HeldByAnotherHost_FailsUntilTheLeaseExpires()
    {
        var leases = _database.Leases();

        Assert.True(await leases.TryAcquireAsync("run-1", "a", T0.AddSeconds(30), T0));
        Assert.False(await leases.TryAcquireAsync("run-1", "b", T0.AddSeconds(40), T0.AddSeconds(10)));
        Assert.True(await leases.TryAcquireAsync("run-1", "a", T0.AddSeconds(50), T0.AddSeconds(20))); // The owner may take it again.
        Assert.False(await leases.TryAcquireAsync("run-1", "b", T0.AddSeconds(80), T0.AddSeconds(49)));
        Assert.True(await leases.TryAcquireAsync("run-1", "b", T0.AddSeconds(90), T0.AddSeconds(51)));

        Assert.Equal(("b", T0.AddSeconds(90)), await leases.GetAsync("run-1"));
    }

    [SkippableFact]
    public async Task TryAcquireAsync_ManyHostsAtOnce_ExactlyOneWins()
    {
        var leases = _database.Leases();
        await leases.TryAcquireAsync("warm-up", "x", T0, T0); // Creates the tables before the race.

        var wins = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
            await leases.TryAcquireAsync("run-1", $"host-{i}", T0.AddSeconds(30), T0))));

        Assert.Equal(1, wins.Count(w => w));
    }

    [SkippableFact]
    public async Task TryAcquireAsync_ManyHostsAtOnceOnAnExpiredLease_ExactlyOneTakesItOver()
    {
        var leases = _database.Leases();
        await leases.TryAcquireAsync("run-1", "dead", T0, T0.AddSeconds(-30));

        var wins = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
            await leases.TryAcquireAsync("run-1", $"host-{i}", T0.AddSeconds(60), T0.AddSeconds(1)))));

        Assert.Equal(1, wins.Count(w => w));
    }

    [SkippableFact]
    public async Task RenewAsync_AfterAnotherHostTookTheRunOver_ReturnsFalse()
    {
        var leases = _database.Leases();
        await leases.TryAcquireAsync("run-1", "a", T0.AddSeconds(30), T0);
        Assert.True(await leases.RenewAsync("run-1", "a", T0.AddSeconds(40)));
        await leases.TryAcquireAsync("run-1", "b", T0.AddSeconds(100), T0.AddSeconds(41));

        Assert.False(await leases.RenewAsync("run-1", "a", T0.AddSeconds(70)));
        Assert.Equal("b", (await leases.GetAsync("run-1"))!.Value.Owner);
    }

    [SkippableFact]
    public async Task FencedStore_WritesOfAHostThatLostTheLease_AreRefused()
    {
        var leases = _database.Leases();
        var a = _database.Store(owner: "a");
        var b = _database.Store(owner: "b");
        await leases.TryAcquireAsync("run-1", "a", T0.AddSeconds(30), T0);
        await a.CreateRunAsync(CheckpointStoreBehaviourTests.Header("run-1"));
        await a.AppendStepsAsync("run-1", [new StepCheckpoint { StepId = "s1", Status = StepStatus.Succeeded }]);
        await Assert.ThrowsAsync<LeaseLostException>(async () => await b.AppendStepsAsync("run-1", [new StepCheckpoint { StepId = "x", Status = StepStatus.Succeeded }]));

        await leases.TryAcquireAsync("run-1", "b", T0.AddSeconds(90), T0.AddSeconds(31));
        var refused = await Assert.ThrowsAsync<LeaseLostException>(async () => await a.AppendStepsAsync("run-1", [new StepCheckpoint { StepId = "s2", Status = StepStatus.Succeeded }]));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await a.SetStatusAsync("run-1", CheckpointStatus.Finished, ExecutionStatus.Cancelled, T0));
        await b.AppendStepsAsync("run-1", [new StepCheckpoint { StepId = "s2", Status = StepStatus.Succeeded }]);

        Assert.Equal("b", refused.CurrentOwner);
        var stored = (await b.LoadAsync("run-1"))!;
        Assert.Equal(["s1", "s2"], stored.Steps.Select(s => s.StepId));
        Assert.Equal(CheckpointStatus.Running, stored.Status);
    }
}
