using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Memory;

/// <summary>Memory through the orchestrator: injected before a run, summarised after it, isolated, within budget, never fatal.</summary>
public class MemoryIntegrationTests
{
    private const string SummaryReply = """{ "summary": "SUMMARY-OF-TOPIC", "sentiment": "positive", "key_outcomes": ["digest sent"], "patterns_detected": [], "suggestions": [] }""";

    private readonly ScriptedPluginExecutor _plugins = new();
    private readonly ScriptedLlmClient _llm = new();
    private readonly InMemoryMemoryStore _store = new();
    private readonly InMemoryAuditSink _audit = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public MemoryIntegrationTests()
    {
        // The summariser's prompt is the run as JSON; its reply names the run's user input, so each summary is traceable.
        _llm.When("\"run_number\"", request =>
        {
            var topic = JsonDocument.Parse(request.Prompt).RootElement.GetProperty("inputs").GetProperty("topic").GetString();
            return new LlmResponse { Text = SummaryReply.Replace("TOPIC", topic, StringComparison.Ordinal), InputTokens = 50, OutputTokens = 20, Model = "summary-model" };
        });
        _llm.When("Write about", "written", inputTokens: 10, outputTokens: 5);
    }

    private WorkflowOrchestrator CreateSut(IMemoryStore? store = null, Action<WorkflowOrchestratorOptions>? configure = null)
    {
        var options = new WorkflowOrchestratorOptions();
        configure?.Invoke(options);
        return new WorkflowOrchestratorBuilder(_plugins, _llm).UseOptions(options).UseTimeProvider(_time).AddMemoryStore(store ?? _store).AddAuditSink(_audit).Build();
    }

    private static readonly Orchestrator.Core.Model.WorkflowDefinition Workflow = WorkflowJson.Load("""
        {
          "id": "writer",
          "input_schema": [ { "name": "topic", "type": "string", "required": true } ],
          "workflow_steps": [ { "id": "write", "type": "ai_processing", "prompt": "Write about {{input.topic}}. Earlier: {{memory.context}}" } ]
        }
        """).Definition!;

    private static WorkflowExecutionRequest Request(string user, string agent, string topic) => new()
    {
        UserId = user,
        AgentId = agent,
        Inputs = JsonDocument.Parse($$"""{ "topic": "{{topic}}" }""").RootElement.Clone(),
    };

    private LlmRequest StepCall(string topic) => _llm.Requests.Last(r => r.StepId == "write" && r.Prompt.Contains("Write about " + topic, StringComparison.Ordinal));

    [Fact]
    public async Task ExecuteAsync_SecondRun_SeesTheFirstRunsSummaryInItsPrompts()
    {
        var sut = CreateSut();

        var first = await sut.ExecuteAsync(Workflow, Request("alice", "writer-agent", "cats"));
        var second = await sut.ExecuteAsync(Workflow, Request("alice", "writer-agent", "dogs"));

        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        Assert.Equal(ExecutionStatus.Succeeded, second.Status);
        Assert.Null(StepCall("cats").SystemPrompt);
        Assert.Equal(0, first.Usage.MemoryEntries);

        var call = StepCall("dogs");
        Assert.Contains("SUMMARY-OF-cats", call.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("Earlier: Recent runs (newest first):", call.Prompt, StringComparison.Ordinal);
        Assert.Contains("SUMMARY-OF-cats", call.Prompt, StringComparison.Ordinal);
        Assert.Equal(1, second.Usage.MemoryEntries);
        Assert.InRange(second.Usage.MemoryTokens, 1, 800);
    }

    [Fact]
    public async Task ExecuteAsync_OtherUserOrOtherAgent_NeverSeesTheMemories()
    {
        var sut = CreateSut();
        await sut.ExecuteAsync(Workflow, Request("alice", "writer-agent", "secret-plans"));

        var bob = await sut.ExecuteAsync(Workflow, Request("bob", "writer-agent", "bobs-topic"));
        var otherAgent = await sut.ExecuteAsync(Workflow, Request("alice", "other-agent", "other-topic"));

        foreach (var topic in new[] { "bobs-topic", "other-topic" })
        {
            var call = StepCall(topic);
            Assert.DoesNotContain("secret-plans", call.SystemPrompt ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-plans", call.Prompt, StringComparison.Ordinal);
        }

        Assert.Equal(0, bob.Usage.MemoryEntries);
        Assert.Equal(0, otherAgent.Usage.MemoryEntries);
    }

    [Fact]
    public async Task ExecuteAsync_FinishedRuns_SummariesSavedWithRunNumbersFromOne()
    {
        var sut = CreateSut();

        await sut.ExecuteAsync(Workflow, Request("alice", "writer-agent", "cats"));
        await sut.ExecuteAsync(Workflow, Request("alice", "writer-agent", "dogs"));

        var runs = await _store.GetRecentRunsAsync("alice", "writer-agent", 10);
        Assert.Equal([2, 1], runs.Select(r => r.RunNumber));
        Assert.Equal(["SUMMARY-OF-dogs", "SUMMARY-OF-cats"], runs.Select(r => r.Summary));
        Assert.Equal("positive", runs[0].Sentiment);
        Assert.Equal(["digest sent"], runs[0].KeyOutcomes);
        Assert.Equal(0.5, runs[1].Importance, 6); // a first run weighs more
        Assert.Equal(0.3, runs[0].Importance, 6);
        Assert.Equal(_time.GetUtcNow(), runs[0].CreatedAt);
    }

    [Fact]
    public async Task ExecuteAsync_SummaryCall_CountedInTheRunsUsage()
    {
        var result = await CreateSut(configure: o => o.Pricing["summary-model"] = new Orchestrator.Core.Usage.ModelPrice(1_000_000m, 0m)).ExecuteAsync(Workflow, Request("alice", "a", "cats"));

        // The step's call (10 + 5) and the summariser's (50 + 20).
        Assert.Equal(new ExecutionUsage(60, 25, 2) { Credits = 1, Cost = 50m }, result.Usage);
        Assert.Equal(15, result.Steps["write"].TokensUsed);
    }

    [Fact]
    public async Task ExecuteAsync_AgentIdAbsent_MemoryKeptUnderTheWorkflowsId()
    {
        var sut = CreateSut();

        await sut.ExecuteAsync(Workflow, Request("alice", "x", "cats") with { AgentId = null });

        Assert.Equal(1, await _store.CountRunsAsync("alice", "writer"));
    }

    [Fact]
    public async Task ExecuteAsync_ManyLargeMemories_InjectedContextWithinTheBudget()
    {
        for (var i = 0; i < 20; i++)
        {
            await _store.SaveRunAsync(new RunMemory { UserId = "alice", AgentId = "a", ExecutionId = "old" + i, RunNumber = 0, Status = "succeeded", Summary = new string('z', 150), CreatedAt = _time.GetUtcNow() });
        }

        var result = await CreateSut(configure: o => { o.Memory.TokenBudget = 100; o.Memory.MaxRecentRuns = 20; }).ExecuteAsync(Workflow, Request("alice", "a", "cats"));

        Assert.InRange(result.Usage.MemoryTokens, 1, 100);
        Assert.Equal(2, result.Usage.MemoryEntries);
        var injected = _audit.EventsOf(result.ExecutionId).Single(e => e.Kind == AuditEventKind.MemoryInjected);
        Assert.Equal(100, injected.Details.GetProperty("budget").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_MemoryStoreFailsEverywhere_ResultUnchangedAndWarningsAudited()
    {
#pragma warning disable CA2012 // NSubstitute configures calls by making them.
        var broken = Substitute.For<IMemoryStore>();
        broken.GetRecentRunsAsync(default!, default!, default, default).ThrowsAsyncForAnyArgs(new InvalidOperationException("store offline"));
        broken.CountRunsAsync(default!, default!, default).ReturnsForAnyArgs(0);
        broken.SaveRunAsync(default!, default).ThrowsAsyncForAnyArgs(new InvalidOperationException("insert refused"));
#pragma warning restore CA2012

        var result = await CreateSut(broken).ExecuteAsync(Workflow, Request("alice", "a", "cats"));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("written", result.Steps["write"].Data.GetProperty("decision").GetString());
        Assert.Contains(result.Warnings, w => w.Contains("could not be loaded", StringComparison.Ordinal) && w.Contains("store offline", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("could not be saved", StringComparison.Ordinal) && w.Contains("insert refused", StringComparison.Ordinal));
        var failures = _audit.EventsOf(result.ExecutionId).Where(e => e.Kind == AuditEventKind.MemoryFailed).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, e => Assert.Same(AuditSeverity.Warning, e.Severity));
        Assert.Same(AuditEventKind.ExecutionCompleted, _audit.EventsOf(result.ExecutionId)[^1].Kind);
    }

    [Fact]
    public async Task ExecuteAsync_MemoryDisabled_StoreNeverCalled()
    {
        var store = Substitute.For<IMemoryStore>();

        var result = await CreateSut(store, o => o.Memory.Enabled = false).ExecuteAsync(Workflow, Request("alice", "a", "cats"));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Empty(store.ReceivedCalls());
        Assert.DoesNotContain(_llm.Requests, r => r.StepId == MemorySummarizer.StepId);
    }

    [Fact]
    public async Task ExecuteAsync_FailedRun_SummarisedWithItsErrorCodesAndHigherImportance()
    {
        const string failing = """
            { "id": "mailer", "input_schema": [ { "name": "topic", "type": "string" } ],
              "workflow_steps": [ { "id": "send", "type": "action", "plugin": "slack", "action": "post", "params": {} } ] }
            """;
        _plugins.On("slack.post", _ => PluginResult.Fail("Slack is down", "SLACK_DOWN"));

        var result = await CreateSut().ExecuteAsync(WorkflowJson.Load(failing).Definition!, Request("alice", "mailer", "cats"));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        var saved = Assert.Single(await _store.GetRecentRunsAsync("alice", "mailer", 10));
        Assert.Equal("failed", saved.Status);
        Assert.Contains("SLACK_DOWN", saved.ErrorCodes);
        Assert.Equal(0.8, saved.Importance, 6); // 0.3 base + 0.3 failure + 0.2 first run
    }

    [Fact]
    public async Task ExecuteAsync_CostCeilingReached_RunRememberedWithoutAnotherLlmCall()
    {
        var sut = CreateSut(configure: o =>
        {
            o.DefaultModelPrice = new Orchestrator.Core.Usage.ModelPrice(1_000m, 1_000m);
            o.MaxRunCost = 0.001m; // the step's 15 tokens cost 0.015
        });

        var result = await sut.ExecuteAsync(Workflow, Request("alice", "a", "cats"));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(WorkflowOrchestratorOptions.CostLimitErrorCode, result.ErrorCode);
        Assert.DoesNotContain(_llm.Requests, r => r.StepId == MemorySummarizer.StepId);
        var saved = Assert.Single(await _store.GetRecentRunsAsync("alice", "a", 5));
        Assert.Contains(WorkflowOrchestratorOptions.CostLimitErrorCode, saved.ErrorCodes);
    }
}
