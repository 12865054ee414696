using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Tests.Usage;

public class ExecutionMetricsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly ScriptedLlmClient _llm = new();
    private readonly ScriptedPluginExecutor _plugins = new();
    private readonly InMemoryExecutionMetricsSink _metrics = new();

    public ExecutionMetricsTests()
    {
        // Each plugin call takes one (fake) second, so the run's duration is known.
        PluginResult Tick(string json)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return PluginResult.Ok(Json.Parse(json));
        }

        _plugins.On("crm.lookup", _ => Tick("""{ "vip": true }"""))
            .On("mail.send", _ => Tick("{}"))
            .On("crm.tag", _ => Tick("{}"))
            .OnSequence("crm.flaky", PluginResult.Fail("busy", "RATE_LIMIT", retryable: true), PluginResult.Ok(Json.Parse("{}")))
            .On("crm.bad", _ => PluginResult.Fail("no", "BAD"));
        _llm.When("Classify", "vip", inputTokens: 120, outputTokens: 30, model: "m")
            .When("Summarise", "done", inputTokens: 200, outputTokens: 50, model: "m");
    }

    private WorkflowOrchestrator CreateSut(IExecutionMetricsSink? sink = null, WorkflowOrchestratorOptions? options = null, TimeProvider? time = null, IEnumerable<IAuditSink>? audit = null)
    {
        var builder = new WorkflowOrchestratorBuilder(_plugins, _llm).UseOptions(options ?? new()).UseTimeProvider(time ?? _time).AddMetricsSink(sink ?? _metrics);
        foreach (var auditSink in audit ?? [])
        {
            builder.AddAuditSink(auditSink);
        }

        return builder.Build();
    }

    private static WorkflowExecutionRequest Request(string inputs = "{}", string executionId = "run-1") =>
        new() { UserId = "user-1", AgentId = "agent-1", Inputs = Json.Parse(inputs), ExecutionId = executionId };

    // 7 top-level steps; lookup, flaky (2 attempts), a loop over 3 items, a conditional, a parallel group of 2, two LLM calls.
    private const string Busy = """
        { "id": "wf-busy", "input_schema": [ { "name": "xs", "type": "any" } ],
          "workflow_steps": [
            { "id": "lookup", "type": "action", "plugin": "crm", "action": "lookup" },
            { "id": "flaky", "type": "action", "plugin": "crm", "action": "flaky", "retryPolicy": { "maxRetries": 2, "backoffMs": 0 } },
            { "id": "classify", "type": "llm_decision", "prompt": "Classify", "options": ["vip", "normal"], "dependencies": ["lookup"] },
            { "id": "check", "type": "conditional", "condition": { "field": "lookup.data.vip", "operator": "==", "value": true },
              "trueBranch": ["tag"], "falseBranch": [] , "dependencies": ["lookup"] },
            { "id": "tag", "type": "action", "plugin": "crm", "action": "tag" },
            { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}", "loopSteps": [
              { "id": "send", "type": "action", "plugin": "mail", "action": "send" } ] },
            { "id": "both", "type": "parallel_group", "steps": [
              { "id": "summary", "type": "ai_processing", "prompt": "Summarise" },
              { "id": "tag2", "type": "action", "plugin": "crm", "action": "tag" } ] } ] }
        """;

    [Fact]
    public async Task ExecuteAsync_FinishedRun_OneSummaryWithFieldsMatchingTheRun()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load(Busy), Request("""{ "xs": [1, 2, 3] }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var m = Assert.Single(_metrics.Metrics);
        Assert.Equal("run-1", m.ExecutionId);
        Assert.Equal("wf-busy", m.WorkflowId);
        Assert.Equal("agent-1", m.AgentId);
        Assert.Equal("user-1", m.UserId);
        Assert.Equal(ExecutionStatus.Succeeded, m.Status);
        Assert.True(m.Success);
        Assert.Equal(320, m.InputTokens);
        Assert.Equal(80, m.OutputTokens);
        Assert.Equal(400, m.TotalTokens);
        Assert.Equal(_llm.Requests.Count, m.LlmCalls);
        Assert.Equal(2, m.LlmCalls);
        Assert.Equal(1, m.Credits);
        Assert.Equal(result.Usage.Cost, m.Cost);
        Assert.Equal(TimeSpan.FromSeconds(6), m.Duration); // lookup, tag, 3 sends, tag2
        Assert.Equal(result.Duration, m.Duration);
        Assert.Equal(_plugins.Calls.Count, m.ToolCallCount);
        Assert.Equal(8, m.ToolCallCount); // lookup, flaky x2, tag, send x3, tag2
        Assert.Equal(["crm", "mail"], m.PluginsUsed);
        Assert.Equal(1, m.RetryCount);
        Assert.Equal(3, m.LoopIterations);
        Assert.Equal(1, m.ConditionalBranchesTaken);
        Assert.Equal(2, m.ParallelExecutions);
        Assert.Equal(7, m.WorkflowSteps);
        Assert.Equal(12, m.Iterations); // 7 top-level, 3 loop bodies, 2 group children
        Assert.Equal(0, m.MemoryTokens);
        Assert.Equal(0, m.MemoryEntries);
    }

    [Fact]
    public async Task ExecuteAsync_SubWorkflow_NestedCallsTokensAndStepsCountedOnceInTheRunsSummary()
    {
        var audit = new InMemoryAuditSink();
        var result = await CreateSut(audit: [audit]).ExecuteAsync(Workflows.Load("""
            { "id": "wf-outer", "workflow_steps": [
              { "id": "lookup", "type": "action", "plugin": "crm", "action": "lookup" },
              { "id": "sub", "type": "sub_workflow", "workflowSteps": [
                { "id": "lookup", "type": "action", "plugin": "mail", "action": "send" },
                { "id": "think", "type": "ai_processing", "prompt": "Summarise", "dependencies": ["lookup"] } ] } ] }
            """), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var m = Assert.Single(_metrics.Metrics);
        Assert.Equal(2, m.ToolCallCount);
        Assert.Equal(["crm", "mail"], m.PluginsUsed);
        Assert.Equal(250, m.TotalTokens);
        Assert.Equal(1, m.LlmCalls);
        Assert.Equal(2, m.WorkflowSteps);
        Assert.Equal(4, m.Iterations);
        Assert.Equal(250, result.Steps["sub"].TokensUsed);
        Assert.All(audit.Events, e => Assert.Equal("run-1", e.ExecutionId));
        Assert.Equal(4, audit.Events.Count(e => e.Kind == AuditEventKind.StepExecuted));
    }

    [Fact]
    public async Task ExecuteAsync_SubWorkflowStepSharingAnIdWithTheCaller_AuditStepIdsAreDistinct()
    {
        var audit = new InMemoryAuditSink();
        await CreateSut(audit: [audit]).ExecuteAsync(Workflows.Load("""
            { "id": "wf-outer", "workflow_steps": [
              { "id": "lookup", "type": "action", "plugin": "crm", "action": "lookup" },
              { "id": "sub", "type": "sub_workflow", "workflowSteps": [
                { "id": "lookup", "type": "action", "plugin": "mail", "action": "send" } ] } ] }
            """), Request());

        var stepIds = audit.Events.Where(e => e.Kind == AuditEventKind.StepExecuted).Select(e => e.StepId).ToList();
        Assert.Equal(stepIds.Count, stepIds.Distinct().Count());
    }

    [Fact]
    public async Task ExecuteAsync_LoopStoppedByAFailingItem_LoopIterationsCountsOnlyTheItemsThatRan()
    {
        _plugins.On("mail.pick", r => r.Parameters.GetProperty("n").GetInt32() == 2 ? PluginResult.Fail("bounced", "BOUNCE") : PluginResult.Ok(Json.Parse("{}")));
        var result = await CreateSut().ExecuteAsync(Workflows.Load("""
            { "input_schema": [ { "name": "xs", "type": "any" } ],
              "workflow_steps": [ { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}", "loopSteps": [
                { "id": "send", "type": "action", "plugin": "mail", "action": "pick", "params": { "n": "{{current}}" } } ] } ] }
            """), Request("""{ "xs": [1, 2, 3, 4, 5] }"""));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(2, _plugins.Calls.Count);
        Assert.Equal(2, Assert.Single(_metrics.Metrics).LoopIterations);
    }

    [Fact]
    public async Task ExecuteAsync_WorkflowWithoutId_AuditAndMetricsNameTheSameWorkflow()
    {
        var audit = new InMemoryAuditSink();
        await CreateSut(audit: [audit]).ExecuteAsync(
            Workflows.Load("""{ "name": "Nightly digest", "workflow_steps": [ { "id": "a", "type": "action", "plugin": "crm", "action": "tag" } ] }"""),
            Request());

        var m = Assert.Single(_metrics.Metrics);
        Assert.All(audit.Events, e => Assert.Equal(m.WorkflowId, e.WorkflowId));
    }

    [Fact]
    public async Task ExecuteAsync_FailedRun_SummaryWithSuccessFalse()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "crm", "action": "bad" } ]"""), Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        var m = Assert.Single(_metrics.Metrics);
        Assert.Equal(ExecutionStatus.Failed, m.Status);
        Assert.False(m.Success);
        Assert.Equal(1, m.ToolCallCount);
        Assert.Equal(["crm"], m.PluginsUsed);
    }

    [Fact]
    public async Task ExecuteAsync_PartiallySucceeded_SuccessTrue()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "crm", "action": "bad", "continueOnError": true } ]"""), Request());

        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
        Assert.True(Assert.Single(_metrics.Metrics).Success);
    }

    [Fact]
    public async Task ExecuteAsync_TwoRuns_OneSummaryEach()
    {
        var sut = CreateSut();
        await sut.ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "crm", "action": "tag" } ]"""), Request(executionId: "r1"));
        await sut.ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "crm", "action": "tag" } ]"""), Request(executionId: "r2"));

        Assert.Equal(["r1", "r2"], _metrics.Metrics.Select(m => m.ExecutionId));
    }

    [Fact]
    public async Task ExecuteAsync_Rejected_NoSummary()
    {
        var result = await CreateSut(options: new WorkflowOrchestratorOptions { Enabled = false })
            .ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "crm", "action": "tag" } ]"""), Request());

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Empty(_metrics.Metrics);
    }

    [Fact]
    public async Task ResumeAsync_SuspendedThenResumed_ExactlyOneSummaryCountingBothSegments()
    {
        var sut = CreateSut();
        var suspended = await sut.ExecuteAsync(Workflows.Load("""
            [ { "id": "first", "type": "action", "plugin": "crm", "action": "tag" },
              { "id": "review", "type": "human_approval", "approvers": ["ann"], "title": "Go?", "dependencies": ["first"] },
              { "id": "second", "type": "action", "plugin": "mail", "action": "send", "dependencies": ["review"] } ]
            """), Request());
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);
        Assert.Empty(_metrics.Metrics);

        await sut.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "run-1", StepId = "review", Approver = "ann", Approved = true });
        var result = await sut.ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var m = Assert.Single(_metrics.Metrics);
        Assert.Equal(2, m.ToolCallCount);
        Assert.Equal(["crm", "mail"], m.PluginsUsed);
        Assert.Equal(3, m.WorkflowSteps);
    }

    [Fact]
    public async Task ExecuteAsync_MetricsSinkThrows_WarningAuditedStatusUnchanged()
    {
        var audit = new InMemoryAuditSink();
        var result = await CreateSut(new ThrowingMetricsSink(), audit: [audit])
            .ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "crm", "action": "tag" } ]"""), Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("metrics sink", warning, StringComparison.Ordinal);
        Assert.Contains("scoring is down", warning, StringComparison.Ordinal);
        var failed = Assert.Single(audit.Events, e => e.Kind == AuditEventKind.MetricsFailed);
        Assert.Same(AuditSeverity.Warning, failed.Severity);
        Assert.Same(AuditEventKind.ExecutionCompleted, audit.Events[^1].Kind);
    }

    [Fact]
    public async Task ExecuteAsync_MetricsSinkHangs_RunReturnsAfterTheFlushTimeoutWithAWarning()
    {
        var options = new WorkflowOrchestratorOptions();
        options.Audit.FlushTimeout = TimeSpan.FromMilliseconds(200);
        var result = await CreateSut(new HangingMetricsSink(), options, TimeProvider.System)
            .ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "mail", "action": "send" } ]"""), Request())
            .AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Contains("in time", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMetricsSink_HostSinkInContainer_ReplacesTheInMemoryDefaultAndGetsTheSummary()
    {
        var services = new ServiceCollection();
        var sink = new InMemoryExecutionMetricsSink();
        var plugins = _plugins;
        services.AddWorkflowOrchestrator(o => o.Memory.Enabled = false).AddPluginExecutor(_ => plugins).AddMetricsSink(sink);
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "crm", "action": "tag" } ]"""), Request());

        Assert.Same(sink, provider.GetRequiredService<IExecutionMetricsSink>());
        Assert.Equal("run-1", Assert.Single(sink.Metrics).ExecutionId);
    }

    [Fact]
    public async Task InMemoryExecutionMetricsSink_OverCapacity_KeepsTheNewest()
    {
        var sink = new InMemoryExecutionMetricsSink(capacity: 1);
        var first = await RunAndGetAsync("a");
        var second = await RunAndGetAsync("b");

        await sink.RecordAsync(first);
        await sink.RecordAsync(second);

        Assert.Same(second, Assert.Single(sink.Metrics));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryExecutionMetricsSink(0));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    [InlineData(3, 10)]
    [InlineData(20, 45)]
    [InlineData(1000, 2500)]
    public async Task InMemoryExecutionMetricsSink_ManySummaries_KeepsTheNewestOldestFirst(int capacity, int recorded)
    {
        var template = await RunAndGetAsync("t");
        var sink = new InMemoryExecutionMetricsSink(capacity);

        for (var i = 0; i < recorded; i++)
        {
            await sink.RecordAsync(template with { ExecutionId = "r" + i });
        }

        var expected = Enumerable.Range(Math.Max(0, recorded - capacity), Math.Min(capacity, recorded)).Select(i => "r" + i);
        Assert.Equal(expected, sink.Metrics.Select(m => m.ExecutionId));
    }

    [Fact]
    public async Task InMemoryExecutionMetricsSink_RecordedFromManyThreads_KeepsItsCapacityEachThreadInOrder()
    {
        var template = await RunAndGetAsync("t");
        var sink = new InMemoryExecutionMetricsSink(100);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await sink.RecordAsync(template with { ExecutionId = $"{thread}-{i:D4}" });
            }
        })));

        var kept = sink.Metrics.Select(m => m.ExecutionId).ToList();
        Assert.Equal(100, kept.Count);
        Assert.Equal(100, kept.Distinct().Count());
        Assert.All(kept.GroupBy(id => id.Split('-')[0]), ofThread => Assert.Equal(ofThread.Order(StringComparer.Ordinal), ofThread));
        Assert.Contains(kept, id => id.EndsWith("-0999", StringComparison.Ordinal)); // The newest of some thread is kept.
    }

    private async Task<ExecutionMetrics> RunAndGetAsync(string executionId)
    {
        await CreateSut().ExecuteAsync(Workflows.Load("""[ { "id": "a", "type": "action", "plugin": "crm", "action": "tag" } ]"""), Request(executionId: executionId));
        return _metrics.Metrics.Single(m => m.ExecutionId == executionId);
    }

    private sealed class ThrowingMetricsSink : IExecutionMetricsSink
    {
        public ValueTask RecordAsync(ExecutionMetrics metrics, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("scoring is down");
    }

    private sealed class HangingMetricsSink : IExecutionMetricsSink
    {
        private readonly TaskCompletionSource _never = new();

        public async ValueTask RecordAsync(ExecutionMetrics metrics, CancellationToken cancellationToken = default) =>
            await _never.Task.ConfigureAwait(false);
    }
}
