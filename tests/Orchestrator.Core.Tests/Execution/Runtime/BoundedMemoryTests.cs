using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

/// <summary>Issue 12, bounded memory: the streaming channel and runs suspended in memory grew without end.</summary>
public class BoundedMemoryTests
{
    private static string Chain(int steps) =>
        "[" + string.Join(", ", Enumerable.Range(0, steps).Select(i => $$"""{ "id": "s{{i}}", "type": "action", "plugin": "p", "action": "ok" }""")) + "]";

    [Fact]
    public async Task ExecuteStreamingAsync_ConsumerFallsBehind_BufferStaysBoundedDropsAreCountedAndTheFinalEventArrives()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var sut = RuntimeTestKit.CreateSut(plugins, options: new WorkflowOrchestratorOptions { StreamingBufferCapacity = 4 });
        var plan = Workflows.PlanOrFail(Chain(10));

        var events = new List<ExecutionEvent>();
        await foreach (var e in sut.ExecuteStreamingAsync(plan, RuntimeTestKit.Request()))
        {
            events.Add(e); // The steps complete synchronously, so the run is done before the first event is read.
        }

        var finished = Assert.IsType<ExecutionFinishedEvent>(events[^1]);
        Assert.Equal(ExecutionStatus.Succeeded, finished.Result.Status);
        Assert.Equal(10, finished.Result.Steps.Count);
        Assert.Equal(5, events.Count); // 4 buffered, then the final event.
        Assert.Contains(finished.Result.Warnings, w => w.Contains("16 events were dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteStreamingAsync_ConsumerKeepsUp_NothingIsDroppedAndNoWarning()
    {
        var plugins = new ScriptedPluginExecutor().On("p.ok", "{}");
        var sut = RuntimeTestKit.CreateSut(plugins);

        var events = new List<ExecutionEvent>();
        await foreach (var e in sut.ExecuteStreamingAsync(Workflows.PlanOrFail(Chain(10)), RuntimeTestKit.Request()))
        {
            events.Add(e);
        }

        Assert.Equal(21, events.Count);
        Assert.Empty(((ExecutionFinishedEvent)events[^1]).Result.Warnings);
    }

    [Fact]
    public async Task ResumeAsync_RunSuspendedInMemoryLongerThanItsRetention_IsGone()
    {
        var time = new FakeTimeProvider();
        var sut = RuntimeTestKit.CreateSut(new ScriptedPluginExecutor(), time, new WorkflowOrchestratorOptions { SuspendedRunRetention = TimeSpan.FromHours(1) });
        var suspended = await sut.ExecuteAsync(Workflows.Load("""[ { "id": "ok", "type": "human_approval", "approvers": ["ann"], "title": "Go?" } ]"""), RuntimeTestKit.Request(executionId: "old"));
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);

        time.Advance(TimeSpan.FromHours(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "old", StepId = "ok", Approver = "ann", Approved = true }).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.ResumeAsync("old").AsTask());
    }

    [Fact]
    public async Task ResumeAsync_RunSuspendedInMemoryWithinItsRetention_Resumes()
    {
        var time = new FakeTimeProvider();
        var sut = RuntimeTestKit.CreateSut(new ScriptedPluginExecutor(), time, new WorkflowOrchestratorOptions { SuspendedRunRetention = TimeSpan.FromHours(1) });
        await sut.ExecuteAsync(Workflows.Load("""[ { "id": "ok", "type": "human_approval", "approvers": ["ann"], "title": "Go?" } ]"""), RuntimeTestKit.Request(executionId: "fresh"));

        time.Advance(TimeSpan.FromMinutes(59));
        await sut.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "fresh", StepId = "ok", Approver = "ann", Approved = true });
        var result = await sut.ResumeAsync("fresh");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(4, 0)]
    public void Validate_StreamingBufferOrRetentionNotPositive_IsAProblem(int capacity, int retentionHours)
    {
        var options = new WorkflowOrchestratorOptions { StreamingBufferCapacity = capacity, SuspendedRunRetention = TimeSpan.FromHours(retentionHours) };

        Assert.Throws<ArgumentException>(options.Validate);
    }
}
