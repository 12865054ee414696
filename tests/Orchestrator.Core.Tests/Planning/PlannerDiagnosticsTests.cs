using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Planning;

public class PlannerDiagnosticsTests
{
    private static WorkflowDiagnostic Single(string json, string code)
    {
        var result = Workflows.Plan(json);
        Assert.False(result.Succeeded);
        Assert.Null(result.Plan);
        return Assert.Single(result.Diagnostics, d => d.Code == code);
    }

    [Fact]
    public void Plan_InvalidFixture_ReportsEveryFaultInOnePassWithStepAndPath()
    {
        var result = Workflows.Plan(Workflows.Fixture("invalid/cycle-and-missing.json"));

        Assert.Null(result.Plan);
        var found = result.Diagnostics.Where(d => d.IsError).Select(d => (d.Code, d.StepId, d.Path)).ToHashSet();
        Assert.Contains((DiagnosticCodes.UnknownStepType, "e", "$.workflow_steps[5]"), found);
        Assert.Contains((DiagnosticCodes.DuplicateStepId, "a", "$.workflow_steps[4]"), found);
        Assert.Contains((DiagnosticCodes.DependencyCycle, "a", "$.workflow_steps[0]"), found);
        Assert.Contains((DiagnosticCodes.UnknownStepReference, "d", "$.workflow_steps[3].params.text"), found);
        Assert.Contains((DiagnosticCodes.UnknownDependency, "d", "$.workflow_steps[3].dependencies[0]"), found);
        Assert.Contains((DiagnosticCodes.UndeclaredInput, "f", "$.workflow_steps[6].params.text"), found);
        Assert.Contains((DiagnosticCodes.EmptyLoopBody, "g", "$.workflow_steps[7].loopSteps"), found);
        Assert.Equal(7, found.Count);
        Assert.Contains("a -> b -> c -> a", result.Diagnostics.Single(d => d.Code == DiagnosticCodes.DependencyCycle).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DuplicateIds_ReportsTheSecondOccurrence()
    {
        var d = Single("""[ { "id": "x", "type": "delay", "duration": 1 }, { "id": "x", "type": "delay", "duration": 2 } ]""", DiagnosticCodes.DuplicateStepId);

        Assert.Equal("$[1]", d.Path);
        Assert.Contains("$[0]", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SelfDependency_IsACycleOfOne()
    {
        var d = Single("""[ { "id": "x", "type": "delay", "duration": 1, "dependencies": ["x"] } ]""", DiagnosticCodes.DependencyCycle);

        Assert.Contains("x -> x", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TwoSeparateCycles_AreBothNamed()
    {
        var result = Workflows.Plan("""
            [ { "id": "a", "type": "delay", "duration": 1, "dependencies": ["b"] }, { "id": "b", "type": "delay", "duration": 1, "dependencies": ["a"] },
              { "id": "c", "type": "delay", "duration": 1, "dependencies": ["d"] }, { "id": "d", "type": "delay", "duration": 1, "dependencies": ["c"] },
              { "id": "e", "type": "delay", "duration": 1, "dependencies": ["a"] } ]
            """);

        var cycles = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.DependencyCycle).Select(d => d.StepId!).ToArray();
        Assert.Equal(new[] { "a", "c" }, cycles);
    }

    [Fact]
    public void Plan_UnknownBranchTarget_NamesTheBranchEntry()
    {
        var d = Single("""[ { "id": "c", "type": "conditional", "condition": "true", "trueBranch": ["missing"] } ]""", DiagnosticCodes.UnknownBranchTarget);

        Assert.Equal("$[0].trueBranch[0]", d.Path);
        Assert.Equal("c", d.StepId);
    }

    [Fact]
    public void Plan_UnknownSwitchCaseTarget_NamesTheCase()
    {
        var d = Single("""[ { "id": "s", "type": "switch", "evaluate": "{{input.x}}", "cases": { "a": ["nope"] } } ]""", DiagnosticCodes.UnknownBranchTarget);

        Assert.Equal("$[0].cases.a[0]", d.Path);
    }

    [Fact]
    public void Plan_StepTargetedByTwoBranchingSteps_WaitsForBothThroughBranchEdges()
    {
        var plan = Workflows.PlanOrFail("""
            [ { "id": "c1", "type": "conditional", "condition": "true", "trueBranch": "t" },
              { "id": "c2", "type": "conditional", "condition": "false", "falseBranch": "t" },
              { "id": "t", "type": "delay", "duration": 1 } ]
            """);

        Assert.Equal(["c1", "c2"], plan.DependencyIds("t"));
    }

    [Fact]
    public void Plan_EmptyScatterBody_IsReported()
    {
        var d = Single("""[ { "id": "g", "type": "scatter_gather", "scatter": { "input": "{{input.x}}", "steps": [] } } ]""", DiagnosticCodes.EmptyScatterBody);

        Assert.Equal("$[0].scatter.steps", d.Path);
    }

    [Fact]
    public void Plan_EmptyParallelGroup_IsOnlyAWarning()
    {
        var result = Workflows.Plan("""[ { "id": "g", "type": "parallel_group", "steps": [] } ]""");

        Assert.True(result.Succeeded);
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(result.Diagnostics).Severity);
    }

    [Fact]
    public void Plan_ReferenceToAnotherContainersInnerStep_IsOutOfScope()
    {
        var d = Single("""
            [ { "id": "g", "type": "parallel_group", "steps": [ { "id": "inner", "type": "delay", "duration": 1 } ] },
              { "id": "after", "type": "ai_processing", "prompt": "{{inner.data}}" } ]
            """, DiagnosticCodes.ReferenceOutOfScope);

        Assert.Equal("after", d.StepId);
        Assert.Equal("$[1].prompt", d.Path);
    }

    [Fact]
    public void Plan_InnerStepReadingItsOwnContainer_IsOutOfScope()
    {
        var d = Single("""
            [ { "id": "loop", "type": "loop", "iterateOver": "{{input.items}}",
                "loopSteps": [ { "id": "inner", "type": "ai_processing", "prompt": "{{loop.data}}" } ] } ]
            """, DiagnosticCodes.ReferenceOutOfScope);

        Assert.Equal("inner", d.StepId);
        Assert.Equal("$[0].loopSteps[0].prompt", d.Path);
    }

    [Fact]
    public void Plan_LoopVariableOutsideALoop_IsAnUnknownReference()
    {
        Single("""[ { "id": "x", "type": "ai_processing", "prompt": "{{current.name}}" } ]""", DiagnosticCodes.UnknownStepReference);
    }

    [Fact]
    public void Plan_UnknownReferenceInNestedStep_PointsIntoTheNestedStep()
    {
        var d = Single("""
            [ { "id": "loop", "type": "loop", "iterateOver": "{{input.items}}",
                "loopSteps": [ { "id": "a", "type": "delay", "duration": 1 }, { "id": "b", "type": "action", "plugin": "p", "action": "x", "params": { "q": ["{{ghost.data}}"] } } ] } ]
            """, DiagnosticCodes.UnknownStepReference);

        Assert.Equal("b", d.StepId);
        Assert.Equal("$[0].loopSteps[1].params.q[0]", d.Path);
    }

    [Fact]
    public void Plan_UnknownReferenceInAListField_PointsAtTheListEntry()
    {
        var d = Single("""
            [ { "id": "e", "type": "enrichment", "sources": [ { "key": "a", "from": "{{input.a}}" }, { "key": "b", "from": "ghost.data" } ] } ]
            """, DiagnosticCodes.UnknownStepReference);

        Assert.Equal("$[0].sources[1].from", d.Path);
    }

    [Fact]
    public void Plan_InputReferenceWithoutInputSchema_IsAWarning()
    {
        var result = Workflows.Plan("""[ { "id": "x", "type": "ai_processing", "prompt": "{{input.topic}}" } ]""");

        Assert.True(result.Succeeded);
        Assert.Equal(DiagnosticCodes.UndeclaredInput, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Plan_ExecuteIfReadingUndeclaredInput_IsAnError()
    {
        var d = Single("""
            { "input_schema": [ { "name": "a" } ],
              "workflow_steps": [ { "id": "x", "type": "delay", "duration": 1, "executeIf": "{{input.b}} > 1" } ] }
            """, DiagnosticCodes.UndeclaredInput);

        Assert.Equal("$.workflow_steps[0].executeIf", d.Path);
    }

    [Theory]
    [InlineData("""{ "id": "l", "type": "loop", "iterateOver": "{{input.x}}", "maxIterations": 0, "loopSteps": [ { "id": "i", "type": "delay", "duration": 1 } ] }""", "$[0].maxIterations")]
    [InlineData("""{ "id": "l", "type": "loop", "iterateOver": "{{input.x}}", "maxConcurrency": 0, "loopSteps": [ { "id": "i", "type": "delay", "duration": 1 } ] }""", "$[0].maxConcurrency")]
    [InlineData("""{ "id": "s", "type": "sub_workflow" }""", "$[0].workflowId")]
    [InlineData("""{ "id": "h", "type": "human_approval", "onTimeout": "escalate" }""", "$[0].escalateTo")]
    [InlineData("""{ "id": "a", "type": "delay", "duration": 1, "retryPolicy": { "maxRetries": -1 } }""", "$[0].retryPolicy.maxRetries")]
    [InlineData("""{ "id": "a", "type": "delay", "duration": 1, "timeout": 0 }""", "$[0].timeout")]
    [InlineData("""{ "id": "m", "type": "llm_decision", "prompt": "x", "temperature": 3 }""", "$[0].temperature")]
    [InlineData("""{ "id": "e", "type": "enrichment", "strategy": "join", "sources": [] }""", "$[0].joinOn")]
    public void Plan_SettingThatCannotWork_IsReportedAtItsField(string step, string path)
    {
        var d = Single("[" + step + "]", DiagnosticCodes.InvalidSetting);

        Assert.Equal(path, d.Path);
    }

    [Fact]
    public void Plan_LlmStepWithoutAnyPrompt_IsMissingAField()
    {
        Single("""[ { "id": "m", "type": "ai_processing" } ]""", DiagnosticCodes.MissingField);
    }

    [Fact]
    public void Plan_DuplicateInputAndOutputNames_AreReported()
    {
        var result = Workflows.Plan("""
            { "input_schema": [ { "name": "a" }, { "name": "a", "type": "colour" } ],
              "workflow_steps": [ { "id": "x", "type": "delay", "duration": 1 } ],
              "output_schema": [ { "name": "o", "source": "x.data" }, { "name": "o", "source": "{{nowhere.data}}" } ] }
            """);

        Assert.Equal(2, result.Diagnostics.Count(d => d.Code == DiagnosticCodes.DuplicateName));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownValueType && d.Path == "$.input_schema[1].type");
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownStepReference && d.Path == "$.output_schema[1].source");
    }

    [Fact]
    public void Plan_ReferenceToAStepThatFailedToLoad_IsNotReportedTwice()
    {
        var result = Workflows.Plan("""
            [ { "id": "bad", "type": "teleport" }, { "id": "next", "type": "ai_processing", "prompt": "{{bad.data}}", "dependencies": ["bad"] } ]
            """);

        Assert.Equal(DiagnosticCodes.UnknownStepType, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void GetPlanOrThrow_WithErrors_ThrowsListingThem()
    {
        var result = Workflows.Plan("""[ { "id": "x", "type": "delay", "duration": 1, "dependencies": ["y"] } ]""");

        var ex = Assert.Throws<WorkflowValidationException>(() => result.GetPlanOrThrow());
        Assert.Contains("ORC101", ex.Message, StringComparison.Ordinal);
        Assert.Same(result.Diagnostics, ex.Diagnostics);
    }
}
