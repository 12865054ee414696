using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Durability.Testing;

/// <summary>
/// What every <see cref="ICheckpointStore"/> must do, written once: each store's test project derives from this class
/// and says how to create its store. Every test uses fresh execution ids, so stores may share a database.
/// </summary>
public abstract class CheckpointStoreBehaviourTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private ICheckpointStore? _store;

    /// <summary>The store under test; the test is skipped (with <see cref="UnavailableReason"/>) when there is none.</summary>
    protected ICheckpointStore Store => _store ?? throw new SkipException(UnavailableReason ?? "The store is not available.");

    /// <summary>Why the store cannot be tested here (such as a database server that is not configured), or null.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>Creates the store under test (called once per test); null when it is not available (see <see cref="UnavailableReason"/>).</summary>
    protected abstract ValueTask<ICheckpointStore?> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    public static string NewId() => "run-" + Guid.NewGuid().ToString("N");

    public static RunCheckpoint Header(string executionId, DateTimeOffset? createdAt = null) => new()
    {
        ExecutionId = executionId,
        WorkflowId = "wf-1",
        DefinitionJson = """{"workflow_steps":[]}""",
        DefinitionHash = DefinitionHash.Compute("""{"workflow_steps":[]}"""),
        Inputs = Parse("""{ "channel": "#inbox", "n": 3 }"""),
        UserId = "u1",
        AgentId = "agent-1",
        CreatedAt = createdAt ?? Start,
    };

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [SkippableFact]
    public async Task CreateRunAsync_ThenLoadAsync_ReturnsTheHeaderAsRunning()
    {
        var id = NewId();
        await Store.CreateRunAsync(Header(id));

        var stored = await Store.LoadAsync(id);

        Assert.NotNull(stored);
        Assert.Equal(CheckpointStatus.Running, stored.Status);
        Assert.Null(stored.Outcome);
        Assert.Equal(id, stored.Run.ExecutionId);
        Assert.Equal("wf-1", stored.Run.WorkflowId);
        Assert.Equal(Header(id).DefinitionJson, stored.Run.DefinitionJson);
        Assert.Equal(Header(id).DefinitionHash, stored.Run.DefinitionHash);
        Assert.Equal("u1", stored.Run.UserId);
        Assert.Equal("agent-1", stored.Run.AgentId);
        Assert.Equal(Start, stored.Run.CreatedAt);
        Assert.Equal("#inbox", stored.Run.Inputs.GetProperty("channel").GetString());
        Assert.Equal(3, stored.Run.Inputs.GetProperty("n").GetInt32());
        Assert.Empty(stored.Steps);
        Assert.Empty(stored.ApprovalDecisions);
    }

    [SkippableFact]
    public async Task CreateRunAsync_SameIdTwice_Throws()
    {
        var id = NewId();
        await Store.CreateRunAsync(Header(id));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.CreateRunAsync(Header(id)));
    }

    [SkippableFact]
    public async Task LoadAsync_UnknownRun_ReturnsNull() => Assert.Null(await Store.LoadAsync(NewId()));

    [SkippableFact]
    public async Task AppendStepsAsync_SeveralBatches_KeepsEveryFieldAndTheOrder()
    {
        var id = NewId();
        await Store.CreateRunAsync(Header(id));
        var full = new StepCheckpoint
        {
            StepId = "decide",
            Status = StepStatus.Succeeded,
            Data = Parse("""{ "result": true, "items": [1, 2, { "deep": "é\"x" }] }"""),
            ChosenTargets = ["yes", "also"],
            Attempts = 3,
            ExecutedAt = Start.AddSeconds(1.5),
            ExecutionTime = TimeSpan.FromMilliseconds(12.5),
            ItemCount = 3,
            CacheHit = true,
            Model = "gpt-test",
            InputTokens = 100,
            OutputTokens = 20,
            LlmCalls = 2,
        };
        var failed = new StepCheckpoint { StepId = "tolerated", Status = StepStatus.Failed, Error = "no", ErrorCode = "E1", UsedFallback = true, Data = Parse("""{"fallback":1}""") };
        var skipped = new StepCheckpoint { StepId = "skipped", Status = StepStatus.Skipped, SkipReason = "branch", BranchSkipped = true, Data = Parse("null") };
        var approval = new StepCheckpoint { StepId = "review", Status = StepStatus.Suspended, Data = Parse("null"), Approval = new ApprovalCheckpoint(Start.AddMinutes(1), true, "Send?", "Check") };

        await Store.AppendStepsAsync(id, [full, failed]);
        await Store.AppendStepsAsync(id, [skipped]);
        await Store.AppendStepsAsync(id, [approval]);
        var stored = (await Store.LoadAsync(id))!;

        Assert.Equal(["decide", "tolerated", "skipped", "review"], stored.Steps.Select(s => s.StepId));
        var first = stored.Steps[0];
        Assert.True(JsonElement.DeepEquals(full.Data, first.Data), first.Data.GetRawText());
        Assert.Equal(["yes", "also"], first.ChosenTargets);
        Assert.Equal(full with { Data = first.Data, ChosenTargets = first.ChosenTargets }, first);
        Assert.Equal(failed with { Data = stored.Steps[1].Data }, stored.Steps[1]);
        Assert.Equal(1, stored.Steps[1].Data.GetProperty("fallback").GetInt32());
        Assert.Equal(skipped with { Data = stored.Steps[2].Data }, stored.Steps[2]);
        Assert.Equal(approval.Approval, stored.Steps[3].Approval);
    }

    [SkippableFact]
    public async Task AppendStepsAsync_UnknownRun_Throws() =>
        await Assert.ThrowsAnyAsync<Exception>(async () => await Store.AppendStepsAsync(NewId(), [new StepCheckpoint { StepId = "a", Status = StepStatus.Succeeded }]));

    [SkippableFact]
    public async Task SetStatusAsync_Finished_StoresTheOutcome()
    {
        var id = NewId();
        await Store.CreateRunAsync(Header(id));

        await Store.SetStatusAsync(id, CheckpointStatus.Suspended, null, Start.AddMinutes(1));
        Assert.Equal(CheckpointStatus.Suspended, (await Store.LoadAsync(id))!.Status);
        await Store.SetStatusAsync(id, CheckpointStatus.Finished, ExecutionStatus.PartiallySucceeded, Start.AddMinutes(2));
        var stored = (await Store.LoadAsync(id))!;

        Assert.Equal(CheckpointStatus.Finished, stored.Status);
        Assert.Equal(ExecutionStatus.PartiallySucceeded, stored.Outcome);
        Assert.Equal(Start.AddMinutes(2), stored.UpdatedAt);
    }

    [SkippableFact]
    public async Task UpdateDefinitionAsync_ReplacesTheDefinitionAndItsHash()
    {
        var id = NewId();
        await Store.CreateRunAsync(Header(id));

        await Store.UpdateDefinitionAsync(id, """{"workflow_steps":[1]}""", "abc");
        var stored = (await Store.LoadAsync(id))!;

        Assert.Equal("""{"workflow_steps":[1]}""", stored.Run.DefinitionJson);
        Assert.Equal("abc", stored.Run.DefinitionHash);
    }

    [SkippableFact]
    public async Task AddApprovalDecisionAsync_SameApproverTwice_KeepsTheLatest()
    {
        var id = NewId();
        await Store.CreateRunAsync(Header(id));

        await Store.AddApprovalDecisionAsync(new StoredApprovalDecision(new ApprovalDecision { ExecutionId = id, StepId = "review", Approver = "ann", Approved = false }, Start));
        await Store.AddApprovalDecisionAsync(new StoredApprovalDecision(new ApprovalDecision { ExecutionId = id, StepId = "review", Approver = "bo", Approved = true }, Start.AddSeconds(1)));
        await Store.AddApprovalDecisionAsync(new StoredApprovalDecision(new ApprovalDecision { ExecutionId = id, StepId = "review", Approver = "ann", Approved = true, Comment = "ok now" }, Start.AddSeconds(2)));
        var decisions = (await Store.LoadAsync(id))!.ApprovalDecisions;

        Assert.Equal(2, decisions.Count);
        var ann = Assert.Single(decisions, d => d.Decision.Approver == "ann");
        Assert.True(ann.Decision.Approved);
        Assert.Equal("ok now", ann.Decision.Comment);
        Assert.Equal(Start.AddSeconds(2), ann.DecidedAt);
    }

    [SkippableFact]
    public async Task ListRunsAsync_ByStatus_ListsThoseRunsOldestFirst()
    {
        var older = NewId();
        var newer = NewId();
        var suspended = NewId();
        var far = new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero); // Older than any other test's run in a shared database.
        await Store.CreateRunAsync(Header(newer, far.AddMinutes(2)));
        await Store.CreateRunAsync(Header(older, far.AddMinutes(1)));
        await Store.CreateRunAsync(Header(suspended, far));
        await Store.SetStatusAsync(suspended, CheckpointStatus.Suspended, null, far);

        var running = await Store.ListRunsAsync(CheckpointStatus.Running, 2);

        Assert.Equal([older, newer], running);
        Assert.Contains(suspended, await Store.ListRunsAsync(CheckpointStatus.Suspended, 1000));
    }

    [SkippableFact]
    public async Task DeleteExpiredAsync_RemovesOnlyRunsThatFinishedBeforeTheCutoff()
    {
        var old = NewId();
        var recent = NewId();
        var running = NewId();
        var suspended = NewId();
        foreach (var id in new[] { old, recent, running, suspended })
        {
            await Store.CreateRunAsync(Header(id, Start.AddDays(-30)));
            await Store.AppendStepsAsync(id, [new StepCheckpoint { StepId = "a", Status = StepStatus.Succeeded, Data = Parse("1") }]);
        }

        await Store.SetStatusAsync(old, CheckpointStatus.Finished, ExecutionStatus.Succeeded, Start.AddDays(-8));
        await Store.SetStatusAsync(recent, CheckpointStatus.Finished, ExecutionStatus.Failed, Start.AddDays(-1));
        await Store.SetStatusAsync(suspended, CheckpointStatus.Suspended, null, Start.AddDays(-20));

        var removed = await Store.DeleteExpiredAsync(Start.AddDays(-7));

        Assert.True(removed >= 1);
        Assert.Null(await Store.LoadAsync(old));
        Assert.NotNull(await Store.LoadAsync(recent));
        Assert.NotNull(await Store.LoadAsync(running));
        Assert.NotNull(await Store.LoadAsync(suspended));
    }

    [SkippableFact]
    public async Task AppendStepsAsync_ConcurrentRuns_KeepEachRunsRecordsInOrder()
    {
        var ids = Enumerable.Range(0, 8).Select(_ => NewId()).ToArray();
        foreach (var id in ids)
        {
            await Store.CreateRunAsync(Header(id));
        }

        await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await Store.AppendStepsAsync(id, [
                    new StepCheckpoint { StepId = $"s{2 * i}", Status = StepStatus.Succeeded, Data = Parse($$"""{"i":{{2 * i}}}""") },
                    new StepCheckpoint { StepId = $"s{(2 * i) + 1}", Status = StepStatus.Succeeded, Data = Parse($$"""{"i":{{(2 * i) + 1}}}""") }]);
            }
        })));

        foreach (var id in ids)
        {
            var steps = (await Store.LoadAsync(id))!.Steps;
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"s{i}"), steps.Select(s => s.StepId));
            Assert.Equal(Enumerable.Range(0, 50), steps.Select(s => s.Data.GetProperty("i").GetInt32()));
        }
    }

    private const string Chain = """
        [ { "id": "a", "type": "action", "plugin": "calc", "action": "echo", "params": { "v": 1 } },
          { "id": "b", "type": "action", "plugin": "calc", "action": "echo", "params": { "v": "{{a.data.v}}" } },
          { "id": "c", "type": "action", "plugin": "calc", "action": "echo", "params": { "prev": "{{b.data.v}}", "v": 3 } } ]
        """;

    [SkippableFact]
    public async Task ResumeAsync_AfterACrash_DoesNotRunFinishedStepsAgainAndReusesTheirOutputs()
    {
        var id = NewId();
        var first = new RecordingPluginExecutor();
        var gate = first.Block("c");
        var crashing = new CrashableCheckpointStore(Store);
        var dying = new WorkflowOrchestratorBuilder(first, new NoLlm()).UseTimeProvider(new FakeTimeProvider()).AddCheckpointStore(crashing).Build();
        var abandoned = dying.ExecuteAsync(Load(Chain), new WorkflowExecutionRequest { UserId = "u1", ExecutionId = id, Inputs = Parse("{}") }).AsTask();
        await WaitForAsync(async () => (await Store.LoadAsync(id))?.Steps.Count == 2);
        crashing.Crash();
        gate.SetResult(); // The dead process's last call returns into nothing: its store refuses every write.
        Assert.Equal(CheckpointErrorCodes.CheckpointFailed, (await abandoned).ErrorCode);

        var second = new RecordingPluginExecutor();
        var result = await new WorkflowOrchestratorBuilder(second, new NoLlm()).UseTimeProvider(new FakeTimeProvider()).AddCheckpointStore(Store).Build().ResumeAsync(id);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["c"], second.Calls.Select(c => c.StepId));
        Assert.Equal(id + ":c", second.Calls.Single().IdempotencyKey);
        Assert.Equal(first.Calls.Single(c => c.StepId == "c").IdempotencyKey, second.Calls.Single().IdempotencyKey);
        Assert.Equal("""{"prev":1,"v":3}""", result.Steps["c"].Data.GetRawText());
        Assert.Equal("""{"v":1}""", result.Steps["b"].Data.GetRawText());
        Assert.Equal(CheckpointStatus.Finished, (await Store.LoadAsync(id))!.Status);
    }

    [SkippableFact]
    public async Task SubmitApprovalAsync_OnAnotherOrchestratorSharingTheStore_LetsItResumeTheRun()
    {
        const string review = """
            [ { "id": "prepare", "type": "action", "plugin": "calc", "action": "echo", "params": { "n": 2 } },
              { "id": "review", "type": "human_approval", "title": "Send {{prepare.data.n}}?", "approvers": ["ann", "bo"], "approvalType": "all" },
              { "id": "send", "type": "action", "plugin": "calc", "action": "echo", "params": { "sent": "{{prepare.data.n}}" }, "dependencies": ["review"] } ]
            """;
        var id = NewId();
        var plugins = new RecordingPluginExecutor();
        var one = new WorkflowOrchestratorBuilder(plugins, new NoLlm()).UseTimeProvider(new FakeTimeProvider()).AddCheckpointStore(Store).Build();
        var two = new WorkflowOrchestratorBuilder(plugins, new NoLlm()).UseTimeProvider(new FakeTimeProvider()).AddCheckpointStore(Store).Build();

        var suspended = await one.ExecuteAsync(Load(review), new WorkflowExecutionRequest { UserId = "u1", ExecutionId = id, Inputs = Parse("{}") });
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);
        Assert.Equal("Send 2?", Assert.Single(suspended.PendingApprovals).Title);
        Assert.False(await two.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = id, StepId = "review", Approver = "ann", Approved = true }));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await one.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = id, StepId = "review", Approver = "eve", Approved = true }));
        Assert.True(await one.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = id, StepId = "review", Approver = "bo", Approved = true }));
        var result = await two.ResumeAsync(id);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(1, plugins.CallsFor("prepare"));
        Assert.Equal(1, plugins.CallsFor("send"));
        Assert.Equal("""{"sent":2}""", result.Steps["send"].Data.GetRawText());
        Assert.Equal(2, result.Steps["review"].Data.GetProperty("decisions").GetArrayLength());
    }

    public static Orchestrator.Core.Model.WorkflowDefinition Load(string json)
    {
        var loaded = WorkflowJson.Load(json);
        Assert.True(loaded.Succeeded, string.Join(Environment.NewLine, loaded.Diagnostics));
        return loaded.Definition!;
    }

    /// <summary>Polls a condition on real time (a store's writes happen on its own threads); a guard, not a timing assertion.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("The condition did not become true.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }
    }

    private sealed class NoLlm : ILlmClient
    {
        public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("No LLM in these tests.");
    }
}
