using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.Execution.Runtime;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Auditing;

public class AuditTrailTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryAuditSink _sink = new();
    private readonly ScriptedPluginExecutor _plugins = new();

    public AuditTrailTests()
    {
        // Every plugin call takes one (fake) second, so each event's timestamp says when in the run it was written.
        _plugins.On("p.ok", _ =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return PluginResult.Ok(Json.Parse("""{ "ok": true }"""));
        });
        _plugins.On("p.bad", _ => PluginResult.Fail("the service said no", "SERVICE_DOWN"));
    }

    private WorkflowOrchestrator CreateSut(WorkflowOrchestratorOptions? options = null) =>
        AuditTestKit.CreateSut(_plugins, [_sink], _time, options);

    private static string Workflow(string steps, string inputs = "[]") =>
        $$"""{ "id": "wf-1", "input_schema": {{inputs}}, "workflow_steps": {{steps}} }""";

    private IReadOnlyList<AuditEvent> Events(string executionId = "run-1") => _sink.EventsOf(executionId);

    private static string[] Names(IEnumerable<AuditEvent> events) => [.. events.Select(e => $"{e.Kind.Name}{(e.StepId is null ? string.Empty : ":" + e.StepId)}")];

    [Fact]
    public async Task ExecuteAsync_SuccessfulRun_StartedStepEventsCompletedInSequenceWithIdsAndClockTimestamps()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load(Workflow("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "ok" },
              { "id": "b", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["a"] } ]
            """)), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Empty(result.Warnings);
        var events = Events();
        Assert.Equal(["ORCHESTRATOR_EXECUTION_STARTED", "ORCHESTRATOR_STEP_EXECUTED:a", "ORCHESTRATOR_STEP_EXECUTED:b", "ORCHESTRATOR_EXECUTION_COMPLETED"], Names(events));
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Sequence));
        Assert.Equal(events, _sink.Events); // The sink received them in sequence order.
        Assert.All(events, e =>
        {
            Assert.Equal("run-1", e.ExecutionId);
            Assert.Equal("wf-1", e.WorkflowId);
            Assert.Equal("agent-1", e.AgentId);
            Assert.Equal("user-1", e.UserId);
            Assert.Same(AuditSeverity.Info, e.Severity);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.Equal(JsonValueKind.Object, e.Details.ValueKind);
        });
        Assert.Equal([Start, Start.AddSeconds(1), Start.AddSeconds(2), Start.AddSeconds(2)], events.Select(e => e.Timestamp));
        Assert.Null(events[0].StepId);
        Assert.Null(events[^1].StepId);

        Assert.Equal(2, events[0].Details.GetProperty("steps").GetInt32());
        var step = events[1].Details;
        Assert.Equal("action", step.GetProperty("type").GetString());
        Assert.Equal("succeeded", step.GetProperty("status").GetString());
        Assert.Equal("p", step.GetProperty("plugin").GetString());
        Assert.Equal("ok", step.GetProperty("action").GetString());
        Assert.Equal(1, step.GetProperty("attempts").GetInt32());
        Assert.Equal(1000, step.GetProperty("duration_ms").GetDouble());
        Assert.Equal("succeeded", events[^1].Details.GetProperty("status").GetString());
        Assert.Equal(2000, events[^1].Details.GetProperty("duration_ms").GetDouble());
        Assert.Equal("Run of workflow 'wf-1' succeeded.", events[^1].Message);
    }

    [Fact]
    public async Task ExecuteAsync_NoAgentInRequest_AgentIdIsTheWorkflowId()
    {
        await CreateSut().ExecuteAsync(Workflows.Load(Workflow("""[ { "id": "a", "type": "action", "plugin": "p", "action": "ok" } ]""")), AuditTestKit.Request(agentId: null));

        Assert.All(Events(), e => Assert.Equal("wf-1", e.AgentId));
    }

    [Fact]
    public async Task ExecuteAsync_StepFails_StepFailedWarningThenExecutionFailedCritical()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load(Workflow("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "bad" },
              { "id": "b", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["a"] } ]
            """)), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        var events = Events();
        Assert.Equal(["ORCHESTRATOR_EXECUTION_STARTED", "ORCHESTRATOR_STEP_FAILED:a", "ORCHESTRATOR_STEP_CANCELLED:b", "ORCHESTRATOR_EXECUTION_FAILED"], Names(events));
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Sequence));
        var failed = events[1];
        Assert.Same(AuditSeverity.Warning, failed.Severity);
        Assert.Equal("SERVICE_DOWN", failed.Details.GetProperty("error_code").GetString());
        Assert.Contains("the service said no", failed.Message, StringComparison.Ordinal);
        var end = events[^1];
        Assert.Same(AuditSeverity.Critical, end.Severity);
        Assert.Equal("failed", end.Details.GetProperty("status").GetString());
        Assert.Equal(result.ErrorCode, end.Details.GetProperty("error_code").GetString());
        Assert.Equal($"Run of workflow 'wf-1' failed ({result.ErrorCode}): {result.Error}", end.Message);
    }

    [Fact]
    public async Task ExecuteAsync_StepFailsWithContinueOnError_CompletedWithWarningSeverity()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load(Workflow("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "bad", "continueOnError": true },
              { "id": "b", "type": "action", "plugin": "p", "action": "ok" } ]
            """)), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
        var end = Events()[^1];
        Assert.Same(AuditEventKind.ExecutionCompleted, end.Kind);
        Assert.Same(AuditSeverity.Warning, end.Severity);
        Assert.Equal("partially_succeeded", end.Details.GetProperty("status").GetString());
        Assert.Equal("Run of workflow 'wf-1' partially succeeded: some steps failed without stopping it.", end.Message);
    }

    [Fact]
    public async Task ExecuteAsync_SkippedStep_StepSkippedWithReason()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load(Workflow(
            """[ { "id": "maybe", "type": "action", "plugin": "p", "action": "ok", "executeIf": "{{input.level}} > 2" } ]""",
            """[ { "name": "level", "type": "number", "required": true } ]""")), AuditTestKit.Request("""{ "level": 1 }"""));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var skipped = Assert.Single(Events(), e => e.Kind == AuditEventKind.StepSkipped);
        Assert.Equal("maybe", skipped.StepId);
        Assert.Same(AuditSeverity.Info, skipped.Severity);
        Assert.Contains("executeIf", skipped.Message, StringComparison.Ordinal);
        Assert.Equal("skipped", skipped.Details.GetProperty("status").GetString());
        Assert.Empty(_plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_RetriedStep_StepRetriedBeforeStepExecuted()
    {
        _plugins.OnSequence("p.flaky", PluginResult.Fail("busy", "RATE_LIMIT", retryable: true), PluginResult.Ok(Json.Parse("{}")));
        var result = await CreateSut().ExecuteAsync(Workflows.Load(Workflow(
            """[ { "id": "call", "type": "action", "plugin": "p", "action": "flaky", "retryPolicy": { "maxRetries": 2, "backoffMs": 0 } } ]""")), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var events = Events();
        Assert.Equal(["ORCHESTRATOR_EXECUTION_STARTED", "ORCHESTRATOR_STEP_RETRIED:call", "ORCHESTRATOR_STEP_EXECUTED:call", "ORCHESTRATOR_EXECUTION_COMPLETED"], Names(events));
        var retried = events[1];
        Assert.Same(AuditSeverity.Warning, retried.Severity);
        Assert.Equal(1, retried.Details.GetProperty("attempt").GetInt32());
        Assert.Equal("RATE_LIMIT", retried.Details.GetProperty("error_code").GetString());
        Assert.Equal(2, events[2].Details.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_StepCancelledThenExecutionCancelledWarning()
    {
        var entered = new Counter();
        var never = new TaskCompletionSource();
        _plugins.On("p.hang", RuntimeTestKit.Gated(never.Task, RuntimeTestKit.Ok(), entered));
        using var cts = new CancellationTokenSource();
        var run = CreateSut().ExecuteAsync(Workflows.Load(Workflow("""[ { "id": "slow", "type": "action", "plugin": "p", "action": "hang" } ]""")), AuditTestKit.Request(), cts.Token).AsTask();

        await entered.WaitForAsync(1);
        await cts.CancelAsync();
        var result = await run.WaitAsync(AuditTestKit.Patience);

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        var events = Events();
        Assert.Equal(["ORCHESTRATOR_EXECUTION_STARTED", "ORCHESTRATOR_STEP_CANCELLED:slow", "ORCHESTRATOR_EXECUTION_CANCELLED"], Names(events));
        Assert.Same(AuditSeverity.Warning, events[^1].Severity);
        Assert.Equal("cancelled", events[^1].Details.GetProperty("status").GetString());
        Assert.Equal("Run of workflow 'wf-1' was cancelled.", events[^1].Message);
    }

    private const string ApprovalWorkflow = """
        [ { "id": "prepare", "type": "action", "plugin": "p", "action": "ok" },
          { "id": "review", "type": "human_approval", "title": "Send?", "approvers": ["ann"], "dependencies": ["prepare"] },
          { "id": "send", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["review"] } ]
        """;

    [Fact]
    public async Task ExecuteAsync_WaitsForApproval_StepSuspendedThenExecutionSuspended()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load(Workflow(ApprovalWorkflow)), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Suspended, result.Status);
        Assert.Empty(result.Warnings);
        var events = Events();
        Assert.Equal(["ORCHESTRATOR_EXECUTION_STARTED", "ORCHESTRATOR_STEP_EXECUTED:prepare", "ORCHESTRATOR_STEP_SUSPENDED:review", "ORCHESTRATOR_EXECUTION_SUSPENDED"], Names(events));
        Assert.Same(AuditSeverity.Info, events[^1].Severity);
        Assert.Equal("suspended", events[^1].Details.GetProperty("status").GetString());
        Assert.Equal("Run of workflow 'wf-1' waits for 1 approval(s).", events[^1].Message);
    }

    [Fact]
    public async Task ResumeAsync_AfterSuspension_SequenceGoesOnFromTheSuspendedSegment()
    {
        var sut = CreateSut();
        await sut.ExecuteAsync(Workflows.Load(Workflow(ApprovalWorkflow)), AuditTestKit.Request());
        await sut.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "run-1", StepId = "review", Approver = "ann", Approved = true });

        var result = await sut.ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var events = Events();
        var sequences = events.Select(e => e.Sequence).ToList();
        Assert.Equal(sequences.Distinct().Order(), sequences); // Strictly increasing across both segments.
        Assert.Equal([1L, 2L, 3L, 4L], sequences.Take(4));
        var afterResume = Names(events.SkipWhile(e => e.Kind != AuditEventKind.ExecutionResumed));
        Assert.Equal("ORCHESTRATOR_EXECUTION_RESUMED", afterResume[0]);
        Assert.Contains("ORCHESTRATOR_STEP_EXECUTED:send", afterResume);
        Assert.Equal("ORCHESTRATOR_EXECUTION_COMPLETED", afterResume[^1]);
    }

    [Fact]
    public async Task SubmitApprovalAsync_SuspendedRun_ApprovalRecordedReachesTheSinks()
    {
        var sut = CreateSut();
        await sut.ExecuteAsync(Workflows.Load(Workflow(ApprovalWorkflow)), AuditTestKit.Request());
        await sut.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "run-1", StepId = "review", Approver = "ann", Approved = true });
        await sut.ResumeAsync("run-1");

        var events = Events();
        var recorded = Assert.Single(events, e => e.Kind == AuditEventKind.ApprovalRecorded);
        Assert.Equal("review", recorded.StepId);
        Assert.Equal("ann", recorded.Details.GetProperty("approver").GetString());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ExecuteAsync_InvalidInputs_OneExecutionRejectedEvent()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load(Workflow(
            """[ { "id": "a", "type": "action", "plugin": "p", "action": "ok" } ]""",
            """[ { "name": "level", "type": "number", "required": true } ]""")), AuditTestKit.Request("""{ "level": "high" }"""));

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Empty(_plugins.Calls);
        var rejected = Assert.Single(_sink.Events);
        Assert.Same(AuditEventKind.ExecutionRejected, rejected.Kind);
        Assert.Same(AuditSeverity.Warning, rejected.Severity);
        Assert.Equal("run-1", rejected.ExecutionId);
        Assert.Equal(result.ExecutionId, rejected.ExecutionId);
        Assert.Equal("wf-1", rejected.WorkflowId);
        Assert.Equal("user-1", rejected.UserId);
        Assert.Equal("agent-1", rejected.AgentId);
        Assert.Equal(1, rejected.Sequence);
        Assert.Equal(Start, rejected.Timestamp);
        Assert.Equal("INVALID_INPUT", rejected.Details.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_Disabled_OneExecutionRejectedEventWithDisabledCode()
    {
        var result = await CreateSut(new WorkflowOrchestratorOptions { Enabled = false })
            .ExecuteAsync(Workflows.Load(Workflow("""[ { "id": "a", "type": "action", "plugin": "p", "action": "ok" } ]""")), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        var rejected = Assert.Single(_sink.Events);
        Assert.Same(AuditEventKind.ExecutionRejected, rejected.Kind);
        Assert.Equal(WorkflowOrchestratorOptions.DisabledErrorCode, rejected.Details.GetProperty("error_code").GetString());
        Assert.Equal("run-1", rejected.ExecutionId);
    }

    [Fact]
    public async Task ResumeAsync_Disabled_ExecutionRejectedForTheSuspendedRun()
    {
        var options = new WorkflowOrchestratorOptions();
        var sut = CreateSut(options);
        await sut.ExecuteAsync(Workflows.Load(Workflow(ApprovalWorkflow)), AuditTestKit.Request());
        options.Enabled = false;

        var result = await sut.ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        var rejected = Assert.Single(_sink.Events, e => e.Kind == AuditEventKind.ExecutionRejected);
        Assert.Equal("run-1", rejected.ExecutionId);
        Assert.Equal(WorkflowOrchestratorOptions.DisabledErrorCode, rejected.Details.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task ResumeAsync_Disabled_RejectionCarriesTheRunsIdsAndContinuesItsSequence()
    {
        var options = new WorkflowOrchestratorOptions();
        var sut = CreateSut(options);
        await sut.ExecuteAsync(Workflows.Load(Workflow(ApprovalWorkflow)), AuditTestKit.Request());
        options.Enabled = false;

        await sut.ResumeAsync("run-1");

        var rejected = Assert.Single(_sink.Events, e => e.Kind == AuditEventKind.ExecutionRejected);
        Assert.Equal("user-1", rejected.UserId);
        Assert.Equal("agent-1", rejected.AgentId);
        Assert.Equal("wf-1", rejected.WorkflowId);
        Assert.True(rejected.Sequence > 4);
    }

    [Fact]
    public async Task ExecuteAsync_UnplannableWorkflow_ExecutionRejectedWithInvalidWorkflow()
    {
        var result = await CreateSut().ExecuteAsync(Workflows.Load(Workflow(
            """[ { "id": "a", "type": "action", "plugin": "p", "action": "ok", "dependencies": ["nowhere"] } ]""")), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        var rejected = Assert.Single(_sink.Events);
        Assert.Equal("INVALID_WORKFLOW", rejected.Details.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_IncludeStepEventsFalse_OnlyRunEvents()
    {
        var options = new WorkflowOrchestratorOptions();
        options.Audit.IncludeStepEvents = false;
        _plugins.OnSequence("p.flaky", PluginResult.Fail("busy", "RATE_LIMIT", retryable: true), PluginResult.Ok(Json.Parse("{}")));

        var result = await CreateSut(options).ExecuteAsync(Workflows.Load(Workflow("""
            [ { "id": "a", "type": "action", "plugin": "p", "action": "flaky", "retryPolicy": { "maxRetries": 1, "backoffMs": 0 } },
              { "id": "b", "type": "action", "plugin": "p", "action": "ok", "executeIf": "1 > 2" } ]
            """)), AuditTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var events = Events();
        Assert.Equal(["ORCHESTRATOR_EXECUTION_STARTED", "ORCHESTRATOR_EXECUTION_COMPLETED"], Names(events));
        Assert.Equal([1L, 2L], events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ExecuteAsync_StepsInsideALoop_StepIdCarriesTheIterationKey()
    {
        await CreateSut().ExecuteAsync(Workflows.Load(Workflow(
            """
            [ { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}", "loopSteps": [
                { "id": "send", "type": "action", "plugin": "p", "action": "ok" } ] } ]
            """,
            """[ { "name": "xs", "type": "array", "required": true } ]""")), AuditTestKit.Request("""{ "xs": [1, 2] }"""));

        var stepIds = Events().Where(e => e.Kind == AuditEventKind.StepExecuted).Select(e => e.StepId).ToList();
        Assert.Equal(3, stepIds.Count);
        Assert.Equal(2, stepIds.Count(id => id!.EndsWith("/send", StringComparison.Ordinal) && id.Contains("each[", StringComparison.Ordinal)));
        Assert.Contains("each", stepIds);
        Assert.Equal(2, stepIds.Where(id => id != "each").Distinct().Count());
    }
}
