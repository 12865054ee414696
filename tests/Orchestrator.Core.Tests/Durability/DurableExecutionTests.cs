using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;
using Orchestrator.Core.Tests.Execution.Runtime;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Core.Tests.Durability;

public class DurableExecutionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCheckpointStore _store = new();

    /// <summary>a and b in parallel, c after both, d (an LLM step) after c, e after d.</summary>
    private const string Diamond = """
        [ { "id": "a", "type": "action", "plugin": "p", "action": "a" },
          { "id": "b", "type": "action", "plugin": "p", "action": "b" },
          { "id": "c", "type": "action", "plugin": "p", "action": "c", "params": { "x": "{{a.data.v}}", "y": "{{b.data.v}}" } },
          { "id": "d", "type": "ai_processing", "prompt": "Summarise {{c.data.sum}}" },
          { "id": "e", "type": "action", "plugin": "p", "action": "e", "params": { "summary": "{{d.data.decision}}" } } ]
        """;

    private static ScriptedPluginExecutor Plugins() => new ScriptedPluginExecutor()
        .On("p.a", """{ "v": 1 }""")
        .On("p.b", """{ "v": 2 }""")
        .On("p.c", r => PluginResult.Ok(Json.Parse($$"""{ "sum": {{r.Parameters.GetProperty("x").GetInt32() + r.Parameters.GetProperty("y").GetInt32()}} }""")))
        .On("p.e", r => PluginResult.Ok(r.Parameters.Clone()));

    private static ScriptedLlmClient Llm() => new ScriptedLlmClient().When("Summarise 3", "three", inputTokens: 7, outputTokens: 4);

    private WorkflowOrchestrator CreateSut(ScriptedPluginExecutor plugins, ICheckpointStore? store = null, ScriptedLlmClient? llm = null) =>
        new WorkflowOrchestratorBuilder(plugins, llm ?? Llm()).UseTimeProvider(_time).AddCheckpointStore(store ?? _store).Build();

    private static WorkflowExecutionRequest Request(string id) => new() { UserId = "u1", AgentId = "agent-1", ExecutionId = id, Inputs = Json.Parse("{}") };

    /// <summary>Runs <paramref name="workflow"/> until <paramref name="stored"/> step records are stored, then "kills" the process.</summary>
    private async Task CrashAfterAsync(string workflow, string id, int stored, ScriptedPluginExecutor plugins, string blockedAction)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        plugins.On(blockedAction, RuntimeTestKit.Gated(gate.Task, RuntimeTestKit.Ok("""{ "late": true }""")));
        var crashing = new CrashableCheckpointStore(_store);
        var run = CreateSut(plugins, crashing).ExecuteAsync(Workflows.Load(workflow), Request(id)).AsTask();
        await CheckpointStoreBehaviourTests.WaitForAsync(async () => (await _store.LoadAsync(id))?.Steps.Count >= stored);
        crashing.Crash();
        gate.SetResult();
        Assert.Equal(CheckpointErrorCodes.CheckpointFailed, (await run.Within()).ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_WithAStore_StoresTheHeaderOnceAndOneRecordPerTopLevelStep()
    {
        const string withLoop = """
            [ { "id": "a", "type": "action", "plugin": "p", "action": "a" },
              { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}", "loopSteps": [ { "id": "inner", "type": "action", "plugin": "p", "action": "b" } ] } ]
            """;
        var definition = Workflows.Load(withLoop);

        var result = await CreateSut(Plugins()).ExecuteAsync(definition, Request("run-1") with { Inputs = Json.Parse("""{ "xs": [1, 2, 3] }""") });
        var stored = (await _store.LoadAsync("run-1"))!;

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(CheckpointStatus.Finished, stored.Status);
        Assert.Equal(ExecutionStatus.Succeeded, stored.Outcome);
        Assert.Equal(WorkflowJson.Serialize(definition), stored.Run.DefinitionJson);
        Assert.Equal(DefinitionHash.Compute(definition), stored.Run.DefinitionHash);
        Assert.Equal(["a", "each"], stored.Steps.Select(s => s.StepId).Order(StringComparer.Ordinal));
        Assert.Equal(result.Steps["each"].Data.GetRawText(), stored.Steps.Single(s => s.StepId == "each").Data.GetRawText());
    }

    [Fact]
    public async Task ExecuteStreamingAsync_WithAStore_CheckpointsTheRunToo()
    {
        var plan = Workflows.PlanOrFail(Diamond);
        var events = new List<ExecutionEvent>();

        await foreach (var @event in CreateSut(Plugins()).ExecuteStreamingAsync(plan, Request("run-1")))
        {
            events.Add(@event);
        }

        Assert.Equal(ExecutionStatus.Succeeded, Assert.IsType<ExecutionFinishedEvent>(events[^1]).Result.Status);
        Assert.Equal(5, (await _store.LoadAsync("run-1"))!.Steps.Count);
    }

    [Fact]
    public async Task ResumeAsync_AfterACrash_DoesNotCallFinishedStepsAgainAndReusesTheirOutputsAndUsage()
    {
        await CrashAfterAsync(Diamond, "run-1", stored: 4, Plugins(), blockedAction: "p.e");
        var plugins = Plugins();
        var llm = Llm();

        var result = await CreateSut(plugins, llm: llm).ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["e"], plugins.Calls.Select(c => c.StepId));
        Assert.Empty(llm.Requests);
        Assert.Equal("""{"summary":"three"}""", result.Steps["e"].Data.GetRawText());
        Assert.Equal(3, result.Steps["c"].Data.GetProperty("sum").GetInt32());
        Assert.Equal(new ExecutionUsage(7, 4, 1) { Credits = 1 }, result.Usage);
        Assert.Equal(11, result.Steps["d"].InputTokens + result.Steps["d"].OutputTokens);
    }

    [Fact]
    public async Task ResumeAsync_AStepRunningAtTheCrash_RunsAgainWithTheSameIdempotencyKey()
    {
        var first = Plugins();
        await CrashAfterAsync(Diamond, "run-1", stored: 4, first, blockedAction: "p.e");
        var second = Plugins();

        await CreateSut(second).ResumeAsync("run-1");

        var before = Assert.Single(first.CallsTo("p.e"));
        var after = Assert.Single(second.CallsTo("p.e"));
        Assert.Equal("run-1:e", after.IdempotencyKey);
        Assert.Equal(before.IdempotencyKey, after.IdempotencyKey);
    }

    [Fact]
    public async Task ResumeAsync_AConditionalFinishedBeforeTheCrash_KeepsTheBranchItChose()
    {
        const string branching = """
            [ { "id": "check", "type": "conditional", "condition": { "field": "input.n", "operator": "greater_than", "value": 1 },
                "trueBranch": ["big"], "falseBranch": ["small"] },
              { "id": "big", "type": "action", "plugin": "p", "action": "big" },
              { "id": "small", "type": "action", "plugin": "p", "action": "small" } ]
            """;
        var gate = new TaskCompletionSource();
        var first = new ScriptedPluginExecutor().On("p.big", RuntimeTestKit.Gated(gate.Task, RuntimeTestKit.Ok()));
        var crashing = new CrashableCheckpointStore(_store);
        var run = CreateSut(first, crashing).ExecuteAsync(Workflows.Load(branching), Request("run-1") with { Inputs = Json.Parse("""{ "n": 5 }""") }).AsTask();
        await CheckpointStoreBehaviourTests.WaitForAsync(async () => (await _store.LoadAsync("run-1"))?.Steps.Count >= 2);
        crashing.Crash();
        gate.SetResult();
        await run.Within();
        var second = new ScriptedPluginExecutor().On("p.big", "{}").On("p.small", "{}");

        var result = await CreateSut(second).ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["big"], second.Calls.Select(c => c.StepId));
        Assert.Equal(StepStatus.Skipped, result.Steps["small"].Status);
    }

    [Fact]
    public async Task ResumeAsync_StoredDefinitionDoesNotMatchItsHash_IsRefusedAndRunsNothing()
    {
        var definition = Workflows.Load(Diamond);
        await _store.CreateRunAsync(new RunCheckpoint
        {
            ExecutionId = "run-1",
            DefinitionJson = WorkflowJson.Serialize(definition),
            DefinitionHash = DefinitionHash.Compute(Workflows.Load("""[ { "id": "x", "type": "action", "plugin": "p", "action": "a" } ]""")),
            Inputs = Json.Parse("{}"),
            UserId = "u1",
            CreatedAt = _time.GetUtcNow(),
        });
        var plugins = Plugins();

        var result = await CreateSut(plugins).ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal(CheckpointErrorCodes.CheckpointCorrupt, result.ErrorCode);
        Assert.Empty(plugins.Calls);
    }

    [Fact]
    public async Task ResumeAsync_OnAChangedDefinitionWithoutPermission_IsRefused()
    {
        await CrashAfterAsync(Diamond, "run-1", stored: 4, Plugins(), blockedAction: "p.e");
        var changed = Workflows.Load(Diamond.Replace("\"action\": \"e\"", "\"action\": \"e2\"", StringComparison.Ordinal));
        var plugins = Plugins();

        var result = await CreateSut(plugins).ResumeAsync("run-1", new ResumeOptions { Definition = changed });

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal(CheckpointErrorCodes.DefinitionChanged, result.ErrorCode);
        Assert.Empty(plugins.Calls);
        Assert.Equal(CheckpointStatus.Running, (await _store.LoadAsync("run-1"))!.Status);
    }

    [Fact]
    public async Task WorkflowDiff_Verdicts_AgreeWithWhatResumeAsyncDoes()
    {
        // The diff and the resume apply one rule (DefinitionChangeRule): what the diff says is what the resume does.
        await CrashAfterAsync(Diamond, "run-1", stored: 4, Plugins(), blockedAction: "p.e");
        var original = Workflows.Load(Diamond);
        var changed = Workflows.Load(Diamond.Replace("\"action\": \"e\"", "\"action\": \"e2\"", StringComparison.Ordinal));
        var diff = WorkflowDiff.Compare(original, changed);
        Assert.Equal(ResumeCompatibility.RequiresAllowDefinitionChange, diff.Resume);
        Assert.Equal(ResumeCompatibility.Unchanged, WorkflowDiff.Compare(original, Workflows.Load(Diamond)).Resume);

        var refused = await CreateSut(Plugins()).ResumeAsync("run-1", new ResumeOptions { Definition = changed });
        Assert.Equal(CheckpointErrorCodes.DefinitionChanged, refused.ErrorCode);
        Assert.Equal(diff.ResumeReason.Replace("A run", "Run 'run-1'", StringComparison.Ordinal), refused.Error);

        var allowed = await CreateSut(Plugins().On("p.e2", """{ "new": true }""")).ResumeAsync("run-1", new ResumeOptions { Definition = changed, AllowDefinitionChange = true });
        Assert.Equal(ExecutionStatus.Succeeded, allowed.Status);
    }

    [Fact]
    public async Task ResumeAsync_OnTheSameDefinitionGivenAgain_Continues()
    {
        await CrashAfterAsync(Diamond, "run-1", stored: 4, Plugins(), blockedAction: "p.e");

        var result = await CreateSut(Plugins()).ResumeAsync("run-1", new ResumeOptions { Definition = Workflows.Load(Diamond) });

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task ResumeAsync_OnAChangedDefinitionAllowed_RunsTheNewStepsAndKeepsFinishedOutputs()
    {
        await CrashAfterAsync(Diamond, "run-1", stored: 4, Plugins(), blockedAction: "p.e");
        var changed = Workflows.Load(Diamond.Replace("\"action\": \"e\"", "\"action\": \"e2\"", StringComparison.Ordinal));
        var plugins = Plugins().On("p.e2", """{ "new": true }""");

        var result = await CreateSut(plugins).ResumeAsync("run-1", new ResumeOptions { Definition = changed, AllowDefinitionChange = true });

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["p.e2"], plugins.Calls.Select(c => $"{c.Plugin}.{c.Action}"));
        Assert.Equal(DefinitionHash.Compute(changed), (await _store.LoadAsync("run-1"))!.Run.DefinitionHash);
    }

    [Fact]
    public async Task ResumeAsync_OnAChangedDefinitionThatCannotBePlanned_IsRefused()
    {
        await CrashAfterAsync(Diamond, "run-1", stored: 4, Plugins(), blockedAction: "p.e");
        var broken = Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "a", "dependencies": ["nowhere"] } ]""");

        var result = await CreateSut(Plugins()).ResumeAsync("run-1", new ResumeOptions { Definition = broken, AllowDefinitionChange = true });

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal("INVALID_WORKFLOW", result.ErrorCode);
    }

    [Fact]
    public async Task ResumeAsync_AFinishedRun_ReturnsItsStoredResultAndRunsNothing()
    {
        var first = await CreateSut(Plugins()).ExecuteAsync(Workflows.Load(Diamond), Request("run-1"));
        var stepsStored = (await _store.LoadAsync("run-1"))!.Steps.Count;
        var plugins = Plugins();
        var llm = Llm();

        var again = await CreateSut(plugins, llm: llm).ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        Assert.Equal(ExecutionStatus.Succeeded, again.Status);
        Assert.Equal("run-1", again.ExecutionId);
        Assert.Equal(first.Steps.Keys.Order(), again.Steps.Keys.Order());
        Assert.All(first.Steps, s => Assert.Equal(s.Value.Data.GetRawText(), again.Steps[s.Key].Data.GetRawText()));
        Assert.Equal(first.Output.GetRawText(), again.Output.GetRawText());
        Assert.Empty(plugins.Calls);
        Assert.Empty(llm.Requests);
        Assert.Equal(stepsStored, (await _store.LoadAsync("run-1"))!.Steps.Count);
        Assert.Equal(CheckpointStatus.Finished, (await _store.LoadAsync("run-1"))!.Status);
    }

    [Fact]
    public async Task ResumeAsync_AFinishedFailedRun_ReturnsFailedWithTheStoredStepsAndRunsNothing()
    {
        var failing = new ScriptedPluginExecutor()
            .On("p.a", """{ "v": 1 }""")
            .On("p.b", """{ "v": 2 }""")
            .On("p.c", _ => PluginResult.Fail("no room", "FULL"));
        var first = await CreateSut(failing).ExecuteAsync(Workflows.Load(Diamond), Request("run-1"));
        var plugins = Plugins();

        var again = await CreateSut(plugins).ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Failed, first.Status);
        Assert.Equal(ExecutionStatus.Failed, again.Status);
        Assert.NotNull(again.Error);
        Assert.Equal(StepStatus.Succeeded, again.Steps["a"].Status);
        Assert.Equal(first.Steps["b"].Data.GetRawText(), again.Steps["b"].Data.GetRawText());
        Assert.NotEqual(StepStatus.Succeeded, again.Steps["c"].Status);
        Assert.Empty(plugins.Calls);
    }

    [Fact]
    public async Task ResumeAsync_AnUnknownRun_Throws() =>
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await CreateSut(Plugins()).ResumeAsync("nobody"));

    [Fact]
    public async Task ExecuteAsync_StoreRefusesWritesMidRun_FailsTheRunClearlyAndKeepsWhatWasSaved()
    {
        const string chain = """
            [ { "id": "a", "type": "action", "plugin": "p", "action": "a" },
              { "id": "b", "type": "action", "plugin": "p", "action": "b", "dependencies": ["a"] },
              { "id": "c", "type": "action", "plugin": "p", "action": "c", "params": { "x": 1, "y": 2 }, "dependencies": ["b"] } ]
            """;
        var gate = new TaskCompletionSource();
        var plugins = Plugins().On("p.b", RuntimeTestKit.Gated(gate.Task, RuntimeTestKit.Ok("""{ "v": 2 }""")));
        var failing = new CrashableCheckpointStore(_store);
        var run = CreateSut(plugins, failing).ExecuteAsync(Workflows.Load(chain), Request("run-1")).AsTask();
        await CheckpointStoreBehaviourTests.WaitForAsync(async () => (await _store.LoadAsync("run-1"))?.Steps.Count == 1);

        // Steps do not wait for their dependencies' records, so c may start before the failed write stops the run;
        // what counts is that the run fails, says why, and nothing stored is lost.
        failing.Crash();
        gate.SetResult();
        var result = await run.Within();

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(CheckpointErrorCodes.CheckpointFailed, result.ErrorCode);
        Assert.Contains("refuses writes", result.Error, StringComparison.Ordinal);
        var stored = (await _store.LoadAsync("run-1"))!;
        Assert.Equal(CheckpointStatus.Running, stored.Status);
        Assert.Equal("a", Assert.Single(stored.Steps).StepId);

        var resumed = Plugins();
        var again = await CreateSut(resumed).ResumeAsync("run-1");
        Assert.Equal(ExecutionStatus.Succeeded, again.Status);
        Assert.Equal(["b", "c"], resumed.Calls.Select(c => c.StepId));
    }

    [Fact]
    public async Task ExecuteAsync_StoreRefusesTheHeader_RunsNothingAndFailsClearly()
    {
        var failing = new CrashableCheckpointStore(_store);
        failing.Crash();
        var plugins = Plugins();

        var result = await CreateSut(plugins, failing).ExecuteAsync(Workflows.Load(Diamond), Request("run-1"));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(CheckpointErrorCodes.CheckpointFailed, result.ErrorCode);
        Assert.Empty(plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_AnExecutionIdAlreadyRunningHere_FailsTheSecondRunAndLeavesTheFirstAlone()
    {
        var gate = new TaskCompletionSource();
        var plugins = Plugins().On("p.e", RuntimeTestKit.Gated(gate.Task, RuntimeTestKit.Ok()));
        var sut = CreateSut(plugins);
        var first = sut.ExecuteAsync(Workflows.Load(Diamond), Request("run-1")).AsTask();
        await CheckpointStoreBehaviourTests.WaitForAsync(() => Task.FromResult(plugins.CallsTo("p.e").Any()));

        var second = await sut.ExecuteAsync(Workflows.Load(Diamond), Request("run-1"));
        gate.SetResult();

        Assert.Equal(CheckpointErrorCodes.CheckpointFailed, second.ErrorCode);
        Assert.Equal(ExecutionStatus.Succeeded, (await first.Within()).Status);
        Assert.Single(plugins.CallsTo("p.a"));
        Assert.Equal(ExecutionStatus.Succeeded, (await sut.ResumeAsync("run-1")).Status); // Finished: its stored result.
    }

    [Fact]
    public async Task ExecuteAsync_AnExecutionIdAlreadyStored_IsRefusedWithoutRunningAnything()
    {
        await CreateSut(Plugins()).ExecuteAsync(Workflows.Load(Diamond), Request("run-1"));
        var plugins = Plugins();

        var again = await CreateSut(plugins).ExecuteAsync(Workflows.Load(Diamond), Request("run-1"));

        Assert.Equal(ExecutionStatus.Failed, again.Status);
        Assert.Equal(CheckpointErrorCodes.CheckpointFailed, again.ErrorCode);
        Assert.Contains("already stored", again.Error, StringComparison.Ordinal);
        Assert.Empty(plugins.Calls);
        Assert.Equal(ExecutionStatus.Succeeded, (await _store.LoadAsync("run-1"))!.Outcome);
    }

    [Fact]
    public async Task DeleteExpiredAsync_AfterTheRetentionPeriod_RemovesFinishedRunsAndKeepsSuspendedOnes()
    {
        const string approval = """[ { "id": "review", "type": "human_approval", "approvers": ["ann"] } ]""";
        var sut = CreateSut(Plugins());
        await sut.ExecuteAsync(Workflows.Load(Diamond), Request("done"));
        await sut.ExecuteAsync(Workflows.Load(approval), Request("waiting"));
        var retention = TimeSpan.FromDays(7);

        Assert.Equal(0, await _store.DeleteExpiredAsync(_time.GetUtcNow() - retention));
        _time.Advance(TimeSpan.FromDays(8));
        var removed = await _store.DeleteExpiredAsync(_time.GetUtcNow() - retention);

        Assert.Equal(1, removed);
        Assert.Null(await _store.LoadAsync("done"));
        Assert.Equal(CheckpointStatus.Suspended, (await _store.LoadAsync("waiting"))!.Status);
    }

    [Fact]
    public async Task ResumeAsync_AnApprovalWhoseTimeoutPassedWhileStored_TakesItsTimeoutAction()
    {
        const string approval = """
            [ { "id": "review", "type": "human_approval", "approvers": ["ann"], "timeout": 60000, "onTimeout": "approve" },
              { "id": "after", "type": "action", "plugin": "p", "action": "a", "dependencies": ["review"] } ]
            """;
        var suspended = await CreateSut(Plugins()).ExecuteAsync(Workflows.Load(approval), Request("run-1"));
        Assert.Equal(_time.GetUtcNow().AddMinutes(1), Assert.Single(suspended.PendingApprovals).ExpiresAt);
        _time.Advance(TimeSpan.FromMinutes(2));

        var result = await CreateSut(Plugins()).ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.True(result.Steps["review"].Data.GetProperty("timedOut").GetBoolean());
    }

    [Fact]
    public async Task SubmitApprovalAsync_NoRunWaitsForIt_Throws()
    {
        await CreateSut(Plugins()).ExecuteAsync(Workflows.Load(Diamond), Request("run-1"));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await CreateSut(Plugins()).SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "run-1", StepId = "a", Approver = "ann", Approved = true }));
    }

    [Fact]
    public async Task AddCheckpointStore_RegisteredStore_IsUsedByTheOrchestrator()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddWorkflowOrchestrator().AddPluginExecutor(_ => Plugins()).AddLlmClient(_ => Llm()).AddCheckpointStore(_ => _store);
        using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(Workflows.Load(Diamond), Request("run-1"));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(5, (await _store.LoadAsync("run-1"))!.Steps.Count);
    }

    [Fact]
    public async Task AddCheckpointStore_Generic_ReplacesAnEarlierStore()
    {
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator().AddInMemoryCheckpointStore().AddCheckpointStore<InMemoryCheckpointStore>();
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(ICheckpointStore));
        Assert.IsType<InMemoryCheckpointStore>(provider.GetRequiredService<ICheckpointStore>());
    }
}
