using Orchestrator.Core.Planning;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Planning;

public class WorkflowPlannerTests
{
    [Fact]
    public void Plan_StepsReadingFirstStepData_RunAfterItEvenWithoutDeclaredDependencies()
    {
        // The seed scenario: three later steps need the first step's data and declare nothing.
        var plan = Workflows.PlanOrFail("""
            [
              { "id": "fetch", "type": "action", "plugin": "mail", "action": "search", "params": {} },
              { "id": "summarise", "type": "ai_processing", "prompt": "Summarise {{fetch.data.emails}}" },
              { "id": "count", "type": "transform", "operation": "aggregate", "input": "{{fetch.data.emails}}",
                "config": { "aggregations": [ { "field": "id", "operation": "count", "alias": "n" } ] } },
              { "id": "post", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "{{fetch.data.emails[0].subject}}" } }
            ]
            """);

        Assert.Equal(["fetch"], plan.DependencyIds("summarise"));
        Assert.Equal(["fetch"], plan.DependencyIds("count"));
        Assert.Equal(["fetch"], plan.DependencyIds("post"));
        Assert.Equal([["fetch"], ["summarise", "count", "post"]], plan.Levels);
        Assert.All(plan.Edges, e => Assert.Equal(PlanEdgeKind.Reference, e.Kind));
    }

    [Fact]
    public void Plan_EmailSummaryFixture_Step4WaitsForStep2ThroughItsReference()
    {
        var plan = Workflows.PlanOrFail(Workflows.Fixture("email-summary.json"));

        Assert.Equal(["step2"], plan.DependencyIds("step4"));
        Assert.Equal(["step2", "step3"], plan.DependencyIds("step5"));
        Assert.Equal([["step1"], ["step2"], ["step3", "step4"], ["step5"]], plan.Levels);
        Assert.Equal(["step1", "step2", "step3", "step5"], plan.CriticalPath);
    }

    [Fact]
    public void Plan_LegacyFixture_RunsStrictlyInOrder()
    {
        var plan = Workflows.PlanOrFail(Workflows.Fixture("email-summary-legacy.json"));

        Assert.Equal([["step1"], ["step2"], ["step3"], ["step4"]], plan.Levels);
        Assert.Equal(["step3"], plan.DependencyIds("step4"));
        Assert.Equal(PlanEdgeKind.Declared, plan.Edges.Single(e => e.To == "step4").Kind);
    }

    [Fact]
    public void Plan_ResearchDigestFixture_BranchTargetsWaitForTheSwitchAndNestedStepsFormTheirOwnPlan()
    {
        var plan = Workflows.PlanOrFail(Workflows.Fixture("research-digest.json"));

        Assert.Equal("route", plan["tell_nothing"].BranchOwner?.Id);
        Assert.Equal("route", plan["review"].BranchOwner?.Id);
        Assert.Equal(["nonempty", "review", "route"], plan.DependencyIds("send_digest"));
        Assert.Contains(new PlanEdge("route", "review", PlanEdgeKind.Branch), plan.Edges);
        Assert.Contains(new PlanEdge("review", "send_digest", PlanEdgeKind.Declared), plan.Edges);

        var body = plan["gather"].Body;
        Assert.NotNull(body);
        Assert.Equal(["search"], body["digest"].Dependencies.Select(s => s.Id));
        Assert.Empty(plan["gather"].Dependencies);
    }

    [Fact]
    public void Plan_InnerStepReadingAnOuterStep_MakesTheContainerWaitForIt()
    {
        var plan = Workflows.PlanOrFail("""
            [
              { "id": "list", "type": "action", "plugin": "p", "action": "a" },
              { "id": "config", "type": "action", "plugin": "p", "action": "a" },
              { "id": "each", "type": "loop", "iterateOver": "list.data.items",
                "loopSteps": [ { "id": "use", "type": "action", "plugin": "p", "action": "a",
                                 "params": { "item": "{{current}}", "at": "{{index}}", "setting": "{{config.data.x}}" } } ] }
            ]
            """);

        Assert.Equal(["config", "list"], plan.DependencyIds("each"));
        Assert.Empty(plan["each"].Body!["use"].Dependencies);
    }

    [Fact]
    public void Plan_DeeplyNestedReference_IsHoistedToTheOutermostContainer()
    {
        var plan = Workflows.PlanOrFail("""
            [
              { "id": "source", "type": "action", "plugin": "p", "action": "a" },
              { "id": "group", "type": "parallel_group", "steps": [
                  { "id": "inner", "type": "loop", "iterateOver": "{{input.items}}", "loopSteps": [
                      { "id": "deep", "type": "action", "plugin": "p", "action": "a", "params": { "v": "{{source.data}}" } } ] } ] }
            ]
            """);

        Assert.Equal(["source"], plan.DependencyIds("group"));
    }

    [Fact]
    public void Plan_DeclaredAndReferencedSameStep_ReportsOneDeclaredEdge()
    {
        var plan = Workflows.PlanOrFail("""
            [
              { "id": "a", "type": "action", "plugin": "p", "action": "a" },
              { "id": "b", "type": "action", "plugin": "p", "action": "a", "params": { "x": "{{a.data}}", "y": "{{a.data.y}}" }, "dependencies": ["a"] }
            ]
            """);

        Assert.Equal([new PlanEdge("a", "b", PlanEdgeKind.Declared)], plan.Edges);
    }

    [Fact]
    public void Plan_ConditionalBranches_TargetsWaitForTheConditionalAndExecuteIfReadsAreEdges()
    {
        var plan = Workflows.PlanOrFail("""
            [
              { "id": "check", "type": "conditional", "condition": "{{input.level}} > 2", "trueBranch": "loud", "falseBranch": ["quiet"] },
              { "id": "loud", "type": "delay", "duration": 1 },
              { "id": "quiet", "type": "delay", "duration": 1 },
              { "id": "after", "type": "delay", "duration": 1, "executeIf": { "field": "check.data.result", "operator": "==", "value": true } }
            ]
            """);

        Assert.Equal("check", plan["loud"].BranchOwner?.Id);
        Assert.Equal("check", plan["quiet"].BranchOwner?.Id);
        Assert.Null(plan["after"].BranchOwner);
        Assert.Equal(["check"], plan.DependencyIds("after"));
    }

    [Fact]
    public void Plan_RollbackReadingItsOwnOutput_IsNotACycle()
    {
        var plan = Workflows.PlanOrFail("""
            [ { "id": "book", "type": "action", "plugin": "p", "action": "a",
                "rollbackAction": { "plugin": "p", "action": "cancel", "params": { "id": "{{book.data.id}}" } } } ]
            """);

        Assert.Empty(plan["book"].Dependencies);
    }

    [Fact]
    public void Plan_ScatterItemVariableAndMemory_AreNotStepReferences()
    {
        var plan = Workflows.PlanOrFail("""
            [ { "id": "g", "type": "scatter_gather", "scatter": { "input": "{{input.topics}}", "itemVariable": "topic",
                "steps": [ { "id": "s", "type": "ai_processing", "prompt": "{{topic}} {{index}} {{memory.context}} {{var.x}}" } ] } } ]
            """);

        Assert.Single(plan.Steps);
    }

    [Fact]
    public void Plan_InlineSubWorkflow_PlansChildOnItsOwnInputs()
    {
        var plan = Workflows.PlanOrFail("""
            {
              "input_schema": [ { "name": "who", "type": "string" } ],
              "workflow_steps": [
                { "id": "pick", "type": "action", "plugin": "p", "action": "a" },
                { "id": "child", "type": "sub_workflow", "inputs": { "person": "{{pick.data.name}}" },
                  "workflowSteps": [ { "id": "greet", "type": "ai_processing", "prompt": "Hello {{input.person}}" } ] }
              ]
            }
            """);

        Assert.Equal(["pick"], plan.DependencyIds("child"));
        Assert.NotNull(plan["child"].Body);
    }

    [Fact]
    public void Plan_SamePlan_CanBeReadRepeatedlyAndGivesTheSameAnswers()
    {
        var plan = Workflows.PlanOrFail(Workflows.Fixture("email-summary.json"));

        Assert.Same(plan.Levels, plan.Levels);
        Assert.Equal(plan.ToMermaid(), plan.ToMermaid());
        Assert.Equal(plan.TopologicalOrder.Length, plan.Steps.Count);
    }

    [Fact]
    public void Plan_LongChain_IsPlannedWithoutRecursion()
    {
        const int count = 20_000;
        var steps = Enumerable.Range(0, count).Select(i => i == 0
            ? "{\"id\":\"s0\",\"type\":\"delay\",\"duration\":1}"
            : $"{{\"id\":\"s{i}\",\"type\":\"delay\",\"duration\":1,\"dependencies\":[\"s{i - 1}\"]}}");
        var plan = Workflows.PlanOrFail("[" + string.Join(",", steps) + "]");

        Assert.Equal(count, plan.LevelCount);
        Assert.Equal(count, plan.CriticalPath.Count);
        Assert.Equal("s19999", plan.CriticalPath[^1]);
    }

    [Fact]
    public void Plan_LongCycle_IsNamedWithoutRecursion()
    {
        const int count = 20_000;
        var steps = Enumerable.Range(0, count).Select(i =>
            $"{{\"id\":\"s{i}\",\"type\":\"delay\",\"duration\":1,\"dependencies\":[\"s{(i + count - 1) % count}\"]}}");
        var result = Workflows.Plan("[" + string.Join(",", steps) + "]");

        var cycle = Assert.Single(result.Diagnostics);
        Assert.Equal("ORC103", cycle.Code);
        Assert.StartsWith("These steps wait for each other in a cycle, so none of them can start: s0 -> s1 -> s2", cycle.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMermaid_EmailSummary_RendersNodesAndEdgeKinds()
    {
        var mermaid = Workflows.PlanOrFail(Workflows.Fixture("research-digest.json")).ToMermaid();

        Assert.StartsWith("flowchart TD\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("subgraph n0[\"gather (scatter_gather)\"]", mermaid, StringComparison.Ordinal);
        Assert.Contains("n0_n0 -. data .-> n0_n1", mermaid, StringComparison.Ordinal);
        Assert.Contains("n3 -. branch .-> n4", mermaid, StringComparison.Ordinal);
        Assert.Contains("n5 --> n6", mermaid, StringComparison.Ordinal);
    }
}
