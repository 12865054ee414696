using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

/// <summary>Issue 12, trust: an approval step with no approvers accepted a decision from anyone.</summary>
public class ApprovalPolicyTests
{
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor().On("doc.send", "{}");

    private WorkflowOrchestrator CreateSut(bool allowOpenApprovals = false) =>
        new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).UseOptions(new WorkflowOrchestratorOptions { AllowOpenApprovals = allowOpenApprovals }).UseTimeProvider(new FakeTimeProvider()).Build();

    private static ValueTask<WorkflowExecutionResult> RunAsync(WorkflowOrchestrator sut, string steps) =>
        sut.ExecuteAsync(Workflows.Load(steps), new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "run-1" });

    [Theory]
    [InlineData("""[ { "id": "review", "type": "human_approval", "title": "Send?" }, { "id": "send", "type": "action", "plugin": "doc", "action": "send", "dependencies": ["review"] } ]""")]
    [InlineData("""[ { "id": "each", "type": "loop", "iterateOver": "{{input.items}}", "loopSteps": [ { "id": "review", "type": "human_approval", "title": "Send?" } ] } ]""")]
    public async Task ExecuteAsync_ApprovalWithoutApprovers_IsRefusedBeforeAnythingRuns(string steps)
    {
        var result = await RunAsync(CreateSut(), steps);

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal("INVALID_WORKFLOW", result.ErrorCode);
        Assert.Contains("APPROVAL_WITHOUT_APPROVERS", result.Error, StringComparison.Ordinal);
        Assert.Contains("'review'", result.Error, StringComparison.Ordinal);
        Assert.Empty(_plugins.Calls);
    }

    [Fact]
    public async Task SubmitApprovalAsync_OpenPolicyChosenByTheHost_AcceptsADecisionFromAnyone()
    {
        var sut = CreateSut(allowOpenApprovals: true);
        var suspended = await RunAsync(sut, """[ { "id": "review", "type": "human_approval", "title": "Send?" }, { "id": "send", "type": "action", "plugin": "doc", "action": "send", "dependencies": ["review"] } ]""");
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);

        var settled = await sut.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "run-1", StepId = "review", Approver = "anyone", Approved = true });
        var result = await sut.ResumeAsync("run-1");

        Assert.True(settled);
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task SubmitApprovalAsync_OpenPolicyWithdrawnWhileSuspended_RefusesTheDecision()
    {
        var options = new WorkflowOrchestratorOptions { AllowOpenApprovals = true };
        var sut = new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).UseOptions(options).UseTimeProvider(new FakeTimeProvider()).Build();
        var suspended = await RunAsync(sut, """[ { "id": "review", "type": "human_approval", "title": "Send?" } ]""");
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);

        // The policy is read when the decision comes: withdrawing it takes effect at once, also for suspended runs.
        options.AllowOpenApprovals = false;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "run-1", StepId = "review", Approver = "anyone", Approved = true }).AsTask());

        Assert.Contains("no approvers", error.Message, StringComparison.Ordinal);
    }
}
