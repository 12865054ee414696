using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Model;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Operations;

/// <summary>What bounds a synchronous data operation: the step's token between items, the regex match timeout.</summary>
public class OperationGuardTests
{
    [Fact]
    public void Apply_FilterUnderACancelledGuard_ThrowsOperationCanceledBeforeTheFirstItem()
    {
        var step = TestScope.Step<TransformStep>("""{"id": "t", "type": "transform", "operation": "filter", "input": "input.x", "config": {"condition": {"field": "item.n", "operator": "gt", "value": 0}}}""");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var guard = OperationGuard.Enter(TimeSpan.FromSeconds(1), cancelled.Token);
        try
        {
            Assert.Throws<OperationCanceledException>(() => TransformOperations.Apply(step, TestJson.Parse("""[{"n":1},{"n":2}]"""), new TestScope()));
        }
        finally
        {
            guard.Exit();
        }
    }

    [Fact]
    public void Apply_FilterWithoutAGuard_RunsAsBefore()
    {
        var step = TestScope.Step<TransformStep>("""{"id": "t", "type": "transform", "operation": "filter", "input": "input.x", "config": {"condition": {"field": "item.n", "operator": "gt", "value": 1}}}""");

        var result = TransformOperations.Apply(step, TestJson.Parse("""[{"n":1},{"n":2}]"""), new TestScope());

        Assert.Equal("""[{"n":2}]""", result.Value.GetRawText());
    }

    [Fact]
    public void Exit_NestedGuards_RestoresTheOuterOne()
    {
        var outer = OperationGuard.Enter(TimeSpan.FromSeconds(1), CancellationToken.None);
        var inner = OperationGuard.Enter(TimeSpan.FromSeconds(2), CancellationToken.None);
        inner.Exit();

        Assert.Same(outer, OperationGuard.Current);
        outer.Exit();
        Assert.Null(OperationGuard.Current);
    }
}
