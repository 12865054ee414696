using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class ApprovalHandlerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor()
        .On("doc.prepare", """{ "n": 3 }""")
        .On("doc.send", """{ "sent": true }""")
        .On("doc.other", """{ "ok": true }""");

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).UseTimeProvider(_time).Build();

    private static string Review(string approval) =>
        $$$"""
        [ { "id": "prepare", "type": "action", "plugin": "doc", "action": "prepare" },
          { "id": "review", "type": "human_approval", "title": "Send {{prepare.data.n}} docs?", "message": "Please check", {{{approval}}} },
          { "id": "send", "type": "action", "plugin": "doc", "action": "send", "dependencies": ["review"] },
          { "id": "other", "type": "action", "plugin": "doc", "action": "other" } ]
        """;

    private static ApprovalDecision Decide(string approver, bool approved, string? comment = null) =>
        new() { ExecutionId = "run-1", StepId = "review", Approver = approver, Approved = approved, Comment = comment };

    private async Task<(WorkflowOrchestrator Sut, WorkflowExecutionResult Suspended)> SuspendAsync(string approval)
    {
        var sut = CreateSut();
        var result = await sut.RunAsync(Review(approval), executionId: "run-1");
        Assert.Equal(ExecutionStatus.Suspended, result.Status);
        return (sut, result);
    }

    [Fact]
    public async Task ExecuteAsync_Approval_ReturnsSuspendedWithAPendingApprovalAndHoldsNoThread()
    {
        var sut = CreateSut();
        var run = sut.RunAsync(Review("""  "approvers": ["ann", "bo"], "timeout": 60000 """), executionId: "run-1");

        Assert.True(run.IsCompleted); // Nothing waits for the decision: the call has returned.
        var result = await run;
        Assert.Equal(ExecutionStatus.Suspended, result.Status);
        var pending = Assert.Single(result.PendingApprovals);
        Assert.Equal("run-1", pending.ExecutionId);
        Assert.Equal("review", pending.StepId);
        Assert.Equal(["ann", "bo"], pending.Approvers);
        Assert.Equal("Send 3 docs?", pending.Title);
        Assert.Equal("Please check", pending.Message);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(1), pending.ExpiresAt);
        Assert.Equal(StepStatus.Suspended, result.Steps["review"].Status);
        Assert.Equal(StepStatus.Pending, result.Steps["send"].Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["other"].Status);
        Assert.Empty(_plugins.CallsTo("doc.send"));
    }

    [Fact]
    public async Task ResumeAsync_AfterApproval_CompletesWithoutRerunningFinishedSteps()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann"] """);

        Assert.True(await sut.SubmitApprovalAsync(Decide("ann", approved: true, "looks good")));
        var result = await sut.ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Empty(result.PendingApprovals);
        Assert.Single(_plugins.CallsTo("doc.prepare"));
        Assert.Single(_plugins.CallsTo("doc.other"));
        Assert.Single(_plugins.CallsTo("doc.send"));
        var data = result.Steps["review"].Data;
        Assert.True(data.GetProperty("approved").GetBoolean());
        Assert.False(data.GetProperty("timedOut").GetBoolean());
        Assert.Equal("ann", data.GetProperty("decisions")[0].GetProperty("approver").GetString());
        Assert.Equal("looks good", data.GetProperty("decisions")[0].GetProperty("comment").GetString());
        Assert.Equal(3, result.Steps["prepare"].Data.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task ResumeAsync_AfterRejection_FailsTheStepAndSkipsWhatDependsOnIt()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann"] """);

        Assert.True(await sut.SubmitApprovalAsync(Decide("ann", approved: false)));
        var result = await sut.ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["review"].Status);
        Assert.Equal("APPROVAL_REJECTED", result.Steps["review"].ErrorCode);
        Assert.Empty(_plugins.CallsTo("doc.send"));
    }

    [Fact]
    public async Task SubmitApprovalAsync_AllApprovers_SettledOnlyWhenEveryoneApproved()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann", "bo"], "approvalType": "all" """);

        Assert.False(await sut.SubmitApprovalAsync(Decide("ann", approved: true)));
        var early = await sut.ResumeAsync("run-1");
        Assert.Equal(ExecutionStatus.Suspended, early.Status);
        Assert.Single(early.PendingApprovals);

        Assert.True(await sut.SubmitApprovalAsync(Decide("bo", approved: true)));
        var result = await sut.ResumeAsync("run-1");
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, result.Steps["review"].Data.GetProperty("decisions").GetArrayLength());
        Assert.Single(_plugins.CallsTo("doc.prepare"));
    }

    [Fact]
    public async Task SubmitApprovalAsync_AllApproversWithOneRejection_SettledAsRejected()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann", "bo"], "approvalType": "all" """);

        Assert.True(await sut.SubmitApprovalAsync(Decide("bo", approved: false)));
        Assert.Equal("APPROVAL_REJECTED", (await sut.ResumeAsync("run-1")).Steps["review"].ErrorCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SubmitApprovalAsync_Majority_SettledByTwoOfThree(bool approved)
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann", "bo", "cy"], "approvalType": "majority" """);

        Assert.False(await sut.SubmitApprovalAsync(Decide("ann", approved)));
        Assert.True(await sut.SubmitApprovalAsync(Decide("cy", approved)));
        var result = await sut.ResumeAsync("run-1");

        Assert.Equal(approved ? ExecutionStatus.Succeeded : ExecutionStatus.Failed, result.Status);
    }

    [Fact]
    public async Task SubmitApprovalAsync_AnyApprover_FirstDecisionSettles()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann", "bo", "cy"], "approvalType": "any" """);

        Assert.True(await sut.SubmitApprovalAsync(Decide("bo", approved: true)));
        Assert.Equal(ExecutionStatus.Succeeded, (await sut.ResumeAsync("run-1")).Status);
    }

    [Fact]
    public async Task SubmitApprovalAsync_NotAnApprover_Throws()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann"] """);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SubmitApprovalAsync(Decide("mallory", approved: true)).AsTask());
        Assert.Contains("mallory", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Suspended, (await sut.ResumeAsync("run-1")).Status);
    }

    [Fact]
    public async Task SubmitApprovalAsync_RequireCommentWithoutOne_Throws()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann"], "requireComment": true """);

        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SubmitApprovalAsync(Decide("ann", approved: true, "  ")).AsTask());
        Assert.True(await sut.SubmitApprovalAsync(Decide("ann", approved: true, "fine")));
    }

    [Fact]
    public async Task SubmitApprovalAsync_UnknownRunOrStep_Throws()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann"] """);

        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SubmitApprovalAsync(Decide("ann", approved: true) with { ExecutionId = "other" }).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SubmitApprovalAsync(Decide("ann", approved: true) with { StepId = "send" }).AsTask());
    }

    [Fact]
    public async Task ResumeAsync_UnknownOrFinishedRun_Throws()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann"] """);
        await sut.SubmitApprovalAsync(Decide("ann", approved: true));
        await sut.ResumeAsync("run-1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.ResumeAsync("run-1").AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.ResumeAsync("nope").AsTask());
    }

    [Theory]
    [InlineData("approve", ExecutionStatus.Succeeded, null)]
    [InlineData("reject", ExecutionStatus.Failed, "APPROVAL_TIMEOUT")]
    public async Task ResumeAsync_AfterTimeout_OnTimeoutDecides(string onTimeout, ExecutionStatus expected, string? code)
    {
        var (sut, _) = await SuspendAsync($$"""  "approvers": ["ann"], "timeout": 60000, "onTimeout": "{{onTimeout}}" """);

        _time.Advance(TimeSpan.FromSeconds(59));
        var early = await sut.ResumeAsync("run-1");
        Assert.Equal(ExecutionStatus.Suspended, early.Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await sut.ResumeAsync("run-1");

        Assert.Equal(expected, result.Status);
        Assert.Equal(code, result.Steps["review"].ErrorCode);
        if (code is null)
        {
            Assert.True(result.Steps["review"].Data.GetProperty("timedOut").GetBoolean());
            Assert.Single(_plugins.CallsTo("doc.send"));
        }

        Assert.Single(_plugins.CallsTo("doc.prepare"));
    }

    [Fact]
    public async Task ResumeAsync_AfterTimeoutWithEscalation_WaitsForTheEscalationApprovers()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann"], "timeout": 1000, "onTimeout": "escalate", "escalateTo": ["boss"] """);

        _time.Advance(TimeSpan.FromSeconds(1));
        var escalated = await sut.ResumeAsync("run-1");
        Assert.Equal(ExecutionStatus.Suspended, escalated.Status);
        Assert.Equal(["boss"], Assert.Single(escalated.PendingApprovals).Approvers);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SubmitApprovalAsync(Decide("ann", approved: true)).AsTask());

        Assert.True(await sut.SubmitApprovalAsync(Decide("boss", approved: true)));
        Assert.Equal(ExecutionStatus.Succeeded, (await sut.ResumeAsync("run-1")).Status);
    }

    [Fact]
    public async Task Regression_ApprovalsHoldNoPollingProcess_TheClockIsNeverWaitedOn()
    {
        var (sut, _) = await SuspendAsync("""  "approvers": ["ann"], "timeout": 86400000 """);

        // A suspended run registers no timer: nothing polls the decision in the background.
        Assert.True(await sut.SubmitApprovalAsync(Decide("ann", approved: true)));
        Assert.Equal(ExecutionStatus.Succeeded, (await sut.ResumeAsync("run-1").AsTask().WaitAsync(HandlerRuns.Guard)).Status);
    }

    [Fact]
    public async Task ExecuteAsync_ApprovalInsideALoop_IsRefusedNotSuspended()
    {
        _plugins.On("doc.items", "[1, 2]");
        var result = await CreateSut().RunAsync(
            """
            [ { "id": "items", "type": "action", "plugin": "doc", "action": "items" },
              { "id": "each", "type": "loop", "iterateOver": "{{items.data}}",
                "loopSteps": [ { "id": "ok", "type": "human_approval", "approvers": ["ann"] } ] } ]
            """);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Empty(result.PendingApprovals);
        Assert.Equal("NESTED_APPROVAL_UNSUPPORTED", result.ErrorCode);
    }
}
