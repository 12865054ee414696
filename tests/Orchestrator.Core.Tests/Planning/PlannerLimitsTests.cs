using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Planning;

/// <summary>The planner's side of <see cref="ExecutionLimits"/>: step depth checked before descending, delays and timeouts in range.</summary>
public class PlannerLimitsTests
{
    /// <summary>
    /// Loops nested <paramref name="levels"/> deep, built in code (no loader depth applies), whose innermost loop has an
    /// empty body: a planner that descends that far reports <see cref="DiagnosticCodes.EmptyLoopBody"/>.
    /// </summary>
    private static WorkflowDefinition NestedInCode(int levels)
    {
        var items = TemplateValue.Parse("{{input.xs}}");
        WorkflowStep step = new LoopStep { Id = "l" + levels, IterateOver = items };
        for (var i = levels - 1; i >= 1; i--)
        {
            step = new LoopStep { Id = "l" + i, IterateOver = items, LoopSteps = [step] };
        }

        return new WorkflowDefinition { Steps = [step] };
    }

    [Fact]
    public void Plan_DefinitionNestedAtTheCeiling_PlansItsInnermostStep()
    {
        var result = new WorkflowPlanner().Plan(NestedInCode(ExecutionLimits.StepDepthCeiling));

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.LimitExceeded);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.EmptyLoopBody && d.StepId == "l" + ExecutionLimits.StepDepthCeiling);
    }

    [Theory]
    [InlineData(ExecutionLimits.StepDepthCeiling + 1)]
    [InlineData(6_000)]
    public void Plan_DefinitionBuiltInCodeDeeperThanTheCeiling_ReportsLimitExceededWithoutDescending(int levels)
    {
        // 6,000 levels overflowed the stack before; the depth is refused at the ceiling, so nothing below is visited
        // (the innermost loop's empty body is never reported).
        var result = new WorkflowPlanner().Plan(NestedInCode(levels));

        Assert.False(result.Succeeded);
        var limit = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.LimitExceeded);
        Assert.Equal("l" + ExecutionLimits.StepDepthCeiling, limit.StepId);
        Assert.Contains(nameof(ExecutionLimits.StepDepthCeiling), limit.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.EmptyLoopBody);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("90000000")]
    public void Plan_TimeoutOutsideTheEnforceableRange_IsAPlanTimeLimitError(string milliseconds)
    {
        var result = Workflows.Plan($$"""[ { "id": "a", "type": "delay", "duration": 1, "timeout": {{milliseconds}} } ]""");

        var d = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.LimitExceeded);
        Assert.Equal("a", d.StepId);
        Assert.EndsWith(".timeout", d.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DelayOverTheTimerCeiling_IsAPlanTimeLimitError()
    {
        var fiftyDays = (long)TimeSpan.FromDays(50).TotalMilliseconds;
        var result = Workflows.Plan($$"""[ { "id": "a", "type": "delay", "duration": {{fiftyDays}} } ]""");

        var d = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.LimitExceeded);
        Assert.Contains(nameof(ExecutionLimits.DelayCeiling), d.Message, StringComparison.Ordinal);
    }
}
