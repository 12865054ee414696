using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

/// <summary>The stored forms of steps agent platforms write: aliases, legacy entries, inline bodies, channel objects.</summary>
public class StepFormsTests
{
    private static WorkflowLoadResult Load(string json) => WorkflowJson.Load(json);

    [Fact]
    public void Load_ActionWithOperationAndConfig_ReadsThemAsActionAndParamsWithInfoNotes()
    {
        var result = Load("""[ { "id": "a", "type": "action", "plugin": "google-mail", "operation": "search_emails", "config": { "query": "x" } } ]""");

        var step = Assert.IsType<ActionStep>(Assert.Single(result.Definition!.Steps));
        Assert.Equal("search_emails", step.Action);
        Assert.NotNull(step.Params);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Contains(result.Diagnostics, d => d is { Code: DiagnosticCodes.NormalisedForm, Severity: DiagnosticSeverity.Info, StepId: "a", Path: "$[0].operation" });
        Assert.Contains(result.Diagnostics, d => d is { Code: DiagnosticCodes.NormalisedForm, Path: "$[0].config" });
    }

    [Fact]
    public void Load_ActionWithParametersAlias_ReadsItAsParams()
    {
        var result = Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "x", "parameters": { "to": "{{input.who}}" } } ]""");

        var step = Assert.IsType<ActionStep>(Assert.Single(result.Definition!.Steps));
        var parameters = Assert.IsType<ObjectTemplate>(step.Params);
        Assert.Equal("to", Assert.Single(parameters.Properties).Name);
    }

    [Fact]
    public void Load_ActionAndOperationDisagree_IsAnErrorNamingStepAndPath()
    {
        var result = Load("""{ "workflow_steps": [ { "id": "a", "type": "action", "plugin": "p", "action": "send", "operation": "delete" } ] }""");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DiagnosticCodes.ConflictingAlias, error.Code);
        Assert.Equal("a", error.StepId);
        Assert.Equal("$.workflow_steps[0].operation", error.Path);
    }

    [Fact]
    public void Load_ParamsAndConfigDisagree_IsAnError()
    {
        var result = Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "send", "params": { "x": 1 }, "config": { "x": 2 } } ]""");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.ConflictingAlias, "$[0].config"), (error.Code, error.Path));
    }

    [Fact]
    public void Load_ActionAndOperationAgree_LoadsWithANote()
    {
        var result = Load("""[ { "id": "a", "type": "action", "plugin": "p", "action": "send", "operation": "send" } ]""");

        Assert.True(result.Succeeded);
        Assert.Equal("send", Assert.IsType<ActionStep>(Assert.Single(result.Definition!.Steps)).Action);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.NormalisedForm);
    }

    [Fact]
    public void Serialize_ActionLoadedFromAliases_WritesTheCanonicalFields()
    {
        var definition = Load("""[ { "id": "a", "type": "action", "plugin": "p", "operation": "send", "config": { "x": 1 } } ]""").Definition!;

        var json = WorkflowJson.Serialize(definition);

        Assert.Contains("\"action\":\"send\"", json, StringComparison.Ordinal);
        Assert.Contains("\"params\":{\"x\":1}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("operation", json, StringComparison.Ordinal);
        Assert.DoesNotContain("config", json, StringComparison.Ordinal);
        Assert.Equal(definition, WorkflowJson.Load(json).Definition);
    }

    [Fact]
    public void Load_TypePluginAction_IsAnActionStep()
    {
        var result = Load("""[ { "id": "a", "type": "plugin_action", "plugin": "google-mail", "plugin_action": "search_emails", "operation": "Find mail" } ]""");

        var step = Assert.IsType<ActionStep>(Assert.Single(result.Definition!.Steps));
        Assert.Equal(("google-mail", "search_emails", "Find mail"), (step.Plugin, step.Action, step.Name));
    }

    [Fact]
    public void Load_LegacyEntryWithAiProcessingPlugin_IsAnLlmStepNotAPluginCall()
    {
        var result = Load("""
            { "workflow_steps": [
              { "operation": "Fetch mail", "plugin": "google-mail", "plugin_action": "search_emails", "reasoning": "r" },
              { "operation": "Decide whether the threshold is met", "plugin": "ai_processing", "plugin_action": "process", "reasoning": "r" } ] }
            """);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var llm = Assert.IsType<LlmStep>(result.Definition!.Steps[1]);
        Assert.Equal(StepTypeNames.AiProcessing, llm.Type);
        Assert.Contains("\"prompt\":\"Decide whether the threshold is met\"", WorkflowJson.Serialize(result.Definition), StringComparison.Ordinal);
        Assert.Equal(["step1"], llm.Dependencies); // Still part of the legacy sequence.
        Assert.Contains(result.Diagnostics, d => d is { Code: DiagnosticCodes.NormalisedForm, StepId: "step2" });
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField && d.Path!.EndsWith(".plugin", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ConditionalWithInlineBodies_LiftsTheirStepsIntoTheListAsBranchTargets()
    {
        var result = Load("""
            [ { "id": "c", "type": "conditional", "condition": "{{input.n}} > 0",
                "steps": [ { "id": "t1", "type": "action", "plugin": "p", "action": "a" },
                           { "id": "t2", "type": "action", "plugin": "p", "action": "b" } ],
                "else_steps": [ { "id": "f1", "type": "action", "plugin": "p", "action": "c" } ] },
              { "id": "after", "type": "action", "plugin": "p", "action": "d" } ]
            """);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Equal(["c", "t1", "t2", "f1", "after"], result.Definition!.Steps.Select(s => s.Id));
        var conditional = Assert.IsType<ConditionalStep>(result.Definition.Steps[0]);
        Assert.Equal(["t1", "t2"], conditional.TrueBranch);
        Assert.Equal(["f1"], conditional.FalseBranch);
        Assert.Equal(["t1"], result.Definition.Steps[2].Dependencies); // A body runs in order.
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);
        Assert.Contains(result.Diagnostics, d => d is { Code: DiagnosticCodes.NormalisedForm, Severity: DiagnosticSeverity.Info, Path: "$[0].steps" });
        Assert.Contains(result.Diagnostics, d => d is { Code: DiagnosticCodes.NormalisedForm, Path: "$[0].else_steps" });
    }

    [Fact]
    public void Load_NestedInlineConditional_LiftsEveryLevel()
    {
        var result = Load("""
            [ { "id": "outer", "type": "conditional", "condition": "true",
                "then": [ { "id": "inner", "type": "conditional", "condition": "false",
                            "then_steps": [ { "id": "deep", "type": "delay", "duration": 1 } ],
                            "else": [ { "id": "other", "type": "delay", "duration": 1 } ] } ] } ]
            """);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Equal(["outer", "inner", "deep", "other"], result.Definition!.Steps.Select(s => s.Id));
        Assert.Equal(["inner"], Assert.IsType<ConditionalStep>(result.Definition.Steps[0]).TrueBranch);
        var inner = Assert.IsType<ConditionalStep>(result.Definition.Steps[1]);
        Assert.Equal(["deep"], inner.TrueBranch);
        Assert.Equal(["other"], inner.FalseBranch);
    }

    [Fact]
    public void Load_InlineBodyInsideALoop_LiftsIntoTheLoopBody()
    {
        var result = Load("""
            [ { "id": "l", "type": "loop", "iterateOver": "{{input.xs}}",
                "loopSteps": [ { "id": "c", "type": "conditional", "condition": "true",
                                 "steps": [ { "id": "t", "type": "delay", "duration": 1 } ] } ] } ]
            """);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var loop = Assert.IsType<LoopStep>(Assert.Single(result.Definition!.Steps));
        Assert.Equal(["c", "t"], loop.LoopSteps.Select(s => s.Id));
    }

    [Fact]
    public void Load_InlineBodyStepWithoutId_GetsOneFromTheConditional()
    {
        var result = Load("""[ { "id": "c", "type": "conditional", "condition": "true", "else": [ { "type": "delay", "duration": 1 } ] } ]""");

        Assert.Equal(["c", "c_else1"], result.Definition!.Steps.Select(s => s.Id));
    }

    [Fact]
    public void Load_InlineBodyThatIsNotAList_IsAnError()
    {
        var result = Load("""[ { "id": "c", "type": "conditional", "condition": "true", "steps": { "id": "t" } } ]""");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("c", "$[0].steps"), (error.StepId, error.Path));
    }

    [Fact]
    public void Load_UnreadableInlineBodyStep_IsAnErrorWithItsPath()
    {
        var result = Load("""[ { "id": "c", "type": "conditional", "condition": "true", "steps": [ { "id": "t", "type": "teleport" } ] } ]""");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.UnknownStepType, "$[0].steps[0]"), (error.Code, error.Path));
    }

    [Fact]
    public void Load_OnTrueAndOnFalse_AreTheBranchLists()
    {
        var result = Load("""
            [ { "id": "c", "type": "conditional", "condition": "true", "onTrue": "a", "onFalse": ["b"] },
              { "id": "a", "type": "delay", "duration": 1 }, { "id": "b", "type": "delay", "duration": 1 } ]
            """);

        var conditional = Assert.IsType<ConditionalStep>(result.Definition!.Steps[0]);
        Assert.Equal(["a"], conditional.TrueBranch);
        Assert.Equal(["b"], conditional.FalseBranch);
        Assert.Contains(result.Diagnostics, d => d is { Code: DiagnosticCodes.NormalisedForm, Path: "$[0].onTrue" });
    }

    [Fact]
    public void Load_TrueBranchAndOnTrueDisagree_IsAnError()
    {
        var result = Load("""[ { "id": "c", "type": "conditional", "condition": "true", "trueBranch": "a", "onTrue": "b" } ]""");

        Assert.Contains(result.Diagnostics, d => d is { IsError: true, Code: DiagnosticCodes.ConflictingAlias, Path: "$[0].onTrue" });
    }

    [Fact]
    public void Load_NotificationChannelObjects_AreReadAndRoundTrip()
    {
        var result = Load("""
            [ { "id": "h", "type": "human_approval", "approvers": ["boss"],
                "notificationChannels": [ "teams", { "type": "email", "config": { "to": ["a@b.c"] } }, { "type": "slack" } ] } ]
            """);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var step = Assert.IsType<HumanApprovalStep>(Assert.Single(result.Definition!.Steps));
        Assert.Equal(["teams", "email", "slack"], step.NotificationChannels.Select(c => c.Type));
        Assert.Equal("a@b.c", step.NotificationChannels[1].Config!.Value.GetProperty("to")[0].GetString());
        Assert.Null(step.NotificationChannels[2].Config);
        var json = WorkflowJson.Serialize(result.Definition);
        Assert.Contains("\"notificationChannels\":[\"teams\",{\"type\":\"email\",\"config\":{\"to\":[\"a@b.c\"]}},\"slack\"]", json, StringComparison.Ordinal);
        Assert.Equal(result.Definition, WorkflowJson.Load(json).Definition);
    }

    [Fact]
    public void Load_NotificationChannelWithUnknownField_IsAnErrorNotADroppedSetting()
    {
        var result = Load("""[ { "id": "h", "type": "human_approval", "notificationChannels": [ { "type": "email", "recipients": ["x"] } ] } ]""");

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(("h", "$[0].notificationChannels[0].recipients"), (error.StepId, error.Path));
    }

    [Fact]
    public void Load_GatherFrom_IsRead()
    {
        var result = Load("""
            [ { "id": "g", "type": "scatter_gather", "scatter": { "input": "{{input.xs}}", "steps": [ { "id": "one", "type": "delay", "duration": 1 } ] },
                "gather": { "operation": "collect", "from": "one" } } ]
            """);

        Assert.Equal("one", Assert.IsType<ScatterGatherStep>(Assert.Single(result.Definition!.Steps)).Gather!.From);
    }

    [Fact]
    public void Load_AiProcessingInputAndConfig_AreReadNotWarnedAbout()
    {
        var result = Load("""
            [ { "id": "c", "type": "ai_processing", "prompt": "Classify", "input": "{{input.mails}}",
                "config": { "ai_type": "classify", "labels": ["urgent", "normal"] } } ]
            """);

        var step = Assert.IsType<LlmStep>(Assert.Single(result.Definition!.Steps));
        Assert.NotNull(step.Input);
        Assert.NotNull(step.Config);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);
    }
}
