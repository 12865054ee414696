using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.Hosting;
using Orchestrator.Core.Tests.Telemetry;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Core.Usage;
using Polly;
using Polly.Retry;

namespace Orchestrator.Core.Tests.Execution;

public class WorkflowOrchestratorBuilderTests
{
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor().On("api.call", """{ "ok": true }""");
    private readonly ScriptedLlmClient _llm = new();

    private WorkflowOrchestratorBuilder CreateSut() => new(_plugins, _llm);

    private static Task<WorkflowExecutionResult> RunAsync(WorkflowOrchestrator orchestrator, string? executionId = null) =>
        orchestrator.ExecuteAsync(HostingTestKit.OneAction(), new WorkflowExecutionRequest { UserId = "u1", Inputs = Json.Parse("{}"), ExecutionId = executionId }).AsTask();

    [Fact]
    public void Constructor_NullPort_ThrowsArgumentNullException()
    {
        Assert.Equal("pluginExecutor", Assert.Throws<ArgumentNullException>(() => new WorkflowOrchestratorBuilder(null!, _llm)).ParamName);
        Assert.Equal("llmClient", Assert.Throws<ArgumentNullException>(() => new WorkflowOrchestratorBuilder(_plugins, null!)).ParamName);
    }

    public static TheoryData<string, Action<WorkflowOrchestratorBuilder>> NullArguments => new()
    {
        { "options", b => b.UseOptions(null!) },
        { "timeProvider", b => b.UseTimeProvider(null!) },
        { "loggerFactory", b => b.UseLoggerFactory(null!) },
        { "registry", b => b.AddWorkflowRegistry(null!) },
        { "cache", b => b.AddStepResultCache(null!) },
        { "catalog", b => b.AddPluginCatalog(null!) },
        { "middleware", b => b.AddStepMiddleware(null!) },
        { "plugin", b => b.AddResiliencePipeline(null!, _ => { }) },
        { "configure", b => b.AddResiliencePipeline("api", null!) },
        { "store", b => b.AddMemoryStore(null!) },
        { "sink", b => b.AddAuditSink(null!) },
        { "sink", b => b.AddMetricsSink(null!) },
        { "estimator", b => b.AddTokenEstimator(null!) },
        { "calculator", b => b.AddCreditCalculator(null!) },
        { "store", b => b.AddCheckpointStore(null!) },
    };

    [Theory]
    [MemberData(nameof(NullArguments))]
    public void Method_NullArgument_ThrowsArgumentNullExceptionNamingIt(string parameter, Action<WorkflowOrchestratorBuilder> call)
    {
        var error = Assert.Throws<ArgumentNullException>(() => call(CreateSut()));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void AddResiliencePipeline_BlankPlugin_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => CreateSut().AddResiliencePipeline(" ", _ => { }));
    }

    [Fact]
    public void Build_InvalidOptions_ThrowsNamingEveryProblem()
    {
        var sut = CreateSut().UseOptions(new WorkflowOrchestratorOptions { MaxParallelism = 0, StreamingBufferCapacity = 0 });

        var error = Assert.Throws<ArgumentException>(() => sut.Build());

        Assert.Contains("MaxParallelism", error.Message, StringComparison.Ordinal);
        Assert.Contains("StreamingBufferCapacity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_Twice_GivesIndependentOrchestratorsEachWithItsOwnSuspendedRunsAndCache()
    {
        var calls = 0;
        _plugins.On("api.get", _ =>
        {
            Interlocked.Increment(ref calls);
            return PluginResult.Ok(Json.Parse("{}"));
        });
        var sut = CreateSut();
        var first = sut.Build();
        var second = sut.Build();
        var review = Workflows.Load("""[ { "id": "review", "type": "human_approval", "approvers": ["ann"] } ]""");
        var cached = Workflows.Load("""[ { "id": "get", "type": "action", "plugin": "api", "action": "get", "cache": { "enabled": true } } ]""");

        var suspended = await first.ExecuteAsync(review, new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "run-1" });
        await first.ExecuteAsync(cached, new WorkflowExecutionRequest { UserId = "u1" });
        await second.ExecuteAsync(cached, new WorkflowExecutionRequest { UserId = "u1" });

        Assert.NotSame(first, second);
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);
        var decision = new ApprovalDecision { ExecutionId = "run-1", StepId = "review", Approver = "ann", Approved = true };
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.SubmitApprovalAsync(decision).AsTask());
        Assert.True(await first.SubmitApprovalAsync(decision));
        Assert.Equal(2, calls); // Each orchestrator has its own in-memory cache: the second did not see the first's entry.
    }

    [Fact]
    public async Task UseOptions_InstanceChangedAfterBuild_TheNextRunReadsIt()
    {
        var options = new WorkflowOrchestratorOptions();
        var orchestrator = CreateSut().UseOptions(options).Build();

        options.Enabled = false;
        var refused = await RunAsync(orchestrator);

        Assert.Equal(WorkflowOrchestratorOptions.DisabledErrorCode, refused.ErrorCode);
    }

    [Fact]
    public async Task UseTimeProvider_FakeClock_TimestampsComeFromIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var orchestrator = CreateSut().UseTimeProvider(time).Build();

        var events = new List<ExecutionEvent>();
        await foreach (var @event in orchestrator.ExecuteStreamingAsync(Workflows.PlanOrFail("""[ { "id": "call", "type": "action", "plugin": "api", "action": "call" } ]"""), HostingTestKit.Request()))
        {
            events.Add(@event);
        }

        Assert.All(events, e => Assert.Equal(time.GetUtcNow(), e.Timestamp));
    }

    [Fact]
    public async Task UseLoggerFactory_Factory_RunEventsAreLoggedThroughIt()
    {
        var provider = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(provider));

        await RunAsync(CreateSut().UseLoggerFactory(factory).Build());

        Assert.Single(provider.Entries, e => e.EventName == "RunFinished");
    }

    [Fact]
    public async Task AddWorkflowRegistry_Registry_SubWorkflowStepsFindItsWorkflows()
    {
        var registry = new InMemoryWorkflowRegistry();
        registry.Register("child", HostingTestKit.OneAction());
        var caller = Workflows.Load("""[ { "id": "sub", "type": "sub_workflow", "workflowId": "child" } ]""");

        var with = await CreateSut().AddWorkflowRegistry(registry).Build().ExecuteAsync(caller, HostingTestKit.Request());
        var without = await CreateSut().Build().ExecuteAsync(caller, HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, with.Status);
        Assert.Equal("SUB_WORKFLOW_NOT_FOUND", without.Steps["sub"].ErrorCode);
    }

    [Fact]
    public async Task AddStepResultCache_SharedCache_TwoBuiltOrchestratorsShareEntries()
    {
        var calls = 0;
        _plugins.On("api.get", _ =>
        {
            Interlocked.Increment(ref calls);
            return PluginResult.Ok(Json.Parse("{}"));
        });
        var sut = CreateSut().AddStepResultCache(new InMemoryStepResultCache(TimeProvider.System));
        var cached = Workflows.Load("""[ { "id": "get", "type": "action", "plugin": "api", "action": "get", "cache": { "enabled": true } } ]""");

        await sut.Build().ExecuteAsync(cached, new WorkflowExecutionRequest { UserId = "u1" });
        await sut.Build().ExecuteAsync(cached, new WorkflowExecutionRequest { UserId = "u1" });

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task AddPluginCatalog_Catalog_PlannerRejectsAnUnknownPlugin()
    {
        var result = await RunAsync(CreateSut().AddPluginCatalog(new InMemoryPluginCatalog([])).Build());

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal("INVALID_WORKFLOW", result.ErrorCode);
    }

    [Fact]
    public async Task AddStepMiddleware_Two_FirstAddedIsOutermost()
    {
        var log = new ConcurrentQueue<string>();

        await RunAsync(CreateSut().AddStepMiddleware(new NamedMiddleware(log, "outer")).AddStepMiddleware(new NamedMiddleware(log, "inner")).Build());

        Assert.Equal(["outer:before", "inner:before", "inner:after", "outer:after"], log);
    }

    [Fact]
    public async Task AddResiliencePipeline_RetryForFlakyPlugin_MakesItSucceed()
    {
        var flakyCalls = 0;
        _plugins.On("flaky.call", _ => Interlocked.Increment(ref flakyCalls) < 3 ? PluginResult.Fail("try again", "BUSY") : PluginResult.Ok(Json.Parse("{}")));
        var orchestrator = CreateSut()
            .AddResiliencePipeline("flaky", p => p.AddRetry(new RetryStrategyOptions<StepOutcome>
            {
                MaxRetryAttempts = 5,
                Delay = TimeSpan.Zero,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Kind: StepOutcomeKind.Failed }),
            }))
            .Build();

        var result = await orchestrator.ExecuteAsync(HostingTestKit.OneAction("flaky"), HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(3, flakyCalls);
    }

    [Fact]
    public async Task AddMemoryStoreAndTokenEstimator_HostPorts_RunsAreRememberedAndCountedWithTheEstimator()
    {
        var store = new InMemoryMemoryStore();
        var orchestrator = CreateSut().AddMemoryStore(store).AddTokenEstimator(new OneTokenPerCharacter()).Build();

        await RunAsync(orchestrator);
        var second = await RunAsync(orchestrator);

        Assert.Equal(1, second.Usage.MemoryEntries);
        Assert.True(second.Usage.MemoryTokens > 40, $"{second.Usage.MemoryTokens} tokens: one per character of the context");
    }

    [Fact]
    public async Task AddAuditSink_TwoSinks_BothGetTheRunsEvents()
    {
        var first = new InMemoryAuditSink();
        var second = new InMemoryAuditSink();

        var result = await RunAsync(CreateSut().AddAuditSink(first).AddAuditSink(second).Build(), "run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.NotEmpty(first.EventsOf("run-1"));
        Assert.Equal(first.EventsOf("run-1").Select(e => e.Kind), second.EventsOf("run-1").Select(e => e.Kind));
    }

    [Fact]
    public async Task AddMetricsSinkAndCreditCalculator_HostRules_UsedForTheRun()
    {
        var sink = new InMemoryExecutionMetricsSink();

        var result = await RunAsync(CreateSut().AddMetricsSink(sink).AddCreditCalculator(new FlatCredits()).Build());

        Assert.Equal(7, result.Usage.Credits);
        Assert.Equal(7, Assert.Single(sink.Metrics).Credits);
    }

    [Fact]
    public async Task AddCheckpointStore_Store_RunIsCheckpointedThere()
    {
        var store = new InMemoryCheckpointStore();

        await RunAsync(CreateSut().AddCheckpointStore(store).Build(), "run-1");

        var stored = await store.LoadAsync("run-1");
        Assert.Equal(CheckpointStatus.Finished, stored?.Status);
    }

    private sealed class NamedMiddleware(ConcurrentQueue<string> log, string name) : IStepMiddleware
    {
        public async ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler nextHandler)
        {
            log.Enqueue(name + ":before");
            var outcome = await nextHandler(context);
            log.Enqueue(name + ":after");
            return outcome;
        }
    }

    private sealed class FlatCredits : ICreditCalculator
    {
        public long CalculateCredits(ExecutionUsage usage) => 7;
    }

    private sealed class OneTokenPerCharacter : ITokenEstimator
    {
        public int CountTokens(string text) => text.Length;
    }
}
