using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Planning;

/// <summary>How the planner resolves the names stored documents use: output variables, config, data paths and their schemas.</summary>
public class StoredNamesPlanningTests
{
    private const string Producer = """
        { "id": "search", "type": "action", "plugin": "mail", "action": "search", "output_variable": "candidate_emails",
          "output_schema": { "type": "object", "properties": {
            "emails": { "type": "array", "items": { "type": "object", "properties": { "subject": { "type": "string" }, "snippet": { "type": "string" } } } },
            "total": { "type": "integer" } } } }
        """;

    private static string Consumer(string text) =>
        $$"""{ "id": "post", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "{{text}}" } }""";

    [Fact]
    public void Plan_ReferenceToAnOutputVariable_MakesTheReaderWaitForItsStep()
    {
        var plan = Workflows.PlanOrFail($"[ {Consumer("{{candidate_emails.emails}}")}, {Producer} ]");

        Assert.Equal(["search"], plan.DependencyIds("post"));
    }

    [Fact]
    public void Plan_BareConditionFieldNamingAnOutputVariable_MakesTheConditionalWaitForItsStep()
    {
        var plan = Workflows.PlanOrFail($$"""
            [ {{Producer}},
              { "id": "check", "type": "conditional", "condition": { "field": "candidate_emails.total", "operator": "greater_than", "value": 0 } } ]
            """);

        Assert.Equal(["search"], plan.DependencyIds("check"));
    }

    [Fact]
    public void Plan_OutputVariableNamedLikeAnotherStep_IsAnErrorAtTheOutputVariable()
    {
        var result = Workflows.Plan("""
            [ { "id": "a", "type": "delay", "duration": 1 },
              { "id": "b", "type": "delay", "duration": 1, "output_variable": "a" } ]
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.OutputVariableClash, "b", "$[1].output_variable"), (error.Code, error.StepId, error.Path));
    }

    [Fact]
    public void Plan_OutputVariableNamedLikeAnInnerStepElsewhere_IsAnError()
    {
        var result = Workflows.Plan("""
            [ { "id": "each", "type": "loop", "iterateOver": "{{input.items}}", "loopSteps": [ { "id": "inner", "type": "delay", "duration": 1 } ] },
              { "id": "b", "type": "delay", "duration": 1, "output_variable": "inner" } ]
            """);

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.OutputVariableClash && d.StepId == "b");
    }

    [Fact]
    public void Plan_OutputVariableNamedLikeAnInput_IsAnError()
    {
        var result = Workflows.Plan("""
            { "input_schema": [ { "name": "query", "type": "string" } ],
              "workflow_steps": [ { "id": "b", "type": "delay", "duration": 1, "output_variable": "query" } ] }
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.OutputVariableClash, "b", "$.workflow_steps[0].output_variable"), (error.Code, error.StepId, error.Path));
        Assert.Contains("input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TwoStepsWithTheSameOutputVariable_IsAnErrorNamingTheFirst()
    {
        var result = Workflows.Plan("""
            [ { "id": "a", "type": "delay", "duration": 1, "output_variable": "rows" },
              { "id": "b", "type": "delay", "duration": 1, "output_variable": "rows" } ]
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.OutputVariableClash, "b", "$[1].output_variable"), (error.Code, error.StepId, error.Path));
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_LaterStepThatReadsAndRebindsAName_IsAcceptedAndLaterReadersWaitForTheRebinding()
    {
        var plan = Workflows.PlanOrFail($$$"""
            [ {{{Producer}}},
              { "id": "sanitize", "type": "transform", "operation": "set", "input": "{{candidate_emails}}", "output_variable": "candidate_emails" },
              {{{Consumer("{{candidate_emails.total}}")}}} ]
            """);

        Assert.Equal(["search"], plan.DependencyIds("sanitize"));
        Assert.Equal(["sanitize"], plan.DependencyIds("post"));
    }

    [Fact]
    public void Plan_ReaderBetweenAWriterAndItsRebinding_ReadsTheEarlierWriterAndTheRebindingWaitsForIt()
    {
        var plan = Workflows.PlanOrFail($$$"""
            [ {{{Producer}}},
              {{{Consumer("{{candidate_emails.total}}")}}},
              { "id": "sanitize", "type": "transform", "operation": "set", "input": "{{candidate_emails}}", "output_variable": "candidate_emails" } ]
            """);

        Assert.Equal(["search"], plan.DependencyIds("post"));
        Assert.Equal(["post", "search"], plan.DependencyIds("sanitize").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_ExclusiveBranchesWritingTheSameName_AreAcceptedAndAReaderWaitsForBothWriters()
    {
        var plan = Workflows.PlanOrFail($$$"""
            [ { "id": "check", "type": "conditional", "condition": { "field": "input.n", "operator": "greater_than", "value": 0 },
                "trueBranch": ["yes"], "falseBranch": ["no"] },
              { "id": "yes", "type": "transform", "operation": "set", "input": "{{input.a}}", "output_variable": "answer" },
              { "id": "no", "type": "transform", "operation": "set", "input": "{{input.b}}", "output_variable": "answer" },
              {{{Consumer("{{answer}}")}}} ]
            """);

        Assert.Equal(["no", "yes"], plan.DependencyIds("post").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_SameBranchWritingANameTwiceWithoutReadingIt_IsStillAnError()
    {
        var result = Workflows.Plan("""
            [ { "id": "check", "type": "conditional", "condition": { "field": "input.n", "operator": "greater_than", "value": 0 },
                "trueBranch": ["a", "b"] },
              { "id": "a", "type": "delay", "duration": 1, "output_variable": "rows" },
              { "id": "b", "type": "delay", "duration": 1, "output_variable": "rows" } ]
            """);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.OutputVariableClash, "b", "$[2].output_variable"), (error.Code, error.StepId, error.Path));
    }

    [Fact]
    public void Plan_OutputVariableOfALoopsInnerStepReadFromOutside_IsOutOfScope()
    {
        var result = Workflows.Plan($$$"""
            [ { "id": "each", "type": "loop", "iterateOver": "{{input.items}}",
                "loopSteps": [ { "id": "inner", "type": "delay", "duration": 1, "output_variable": "per_item" } ] },
              {{{Consumer("{{per_item}}")}}} ]
            """);

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.ReferenceOutOfScope && d.StepId == "post");
    }

    [Fact]
    public void Plan_StepFieldThatIsNotDataOrMetadata_IsInformationSuggestingTheExplicitForm()
    {
        var result = Workflows.Plan($"[ {Producer}, {Consumer("{{search.emails}}")} ]");

        Assert.True(result.Succeeded);
        var info = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.ImplicitDataReference);
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.Equal("$[1].params.text", info.Path);
        Assert.Contains("{{search.data.emails}}", info.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{search.data.emails}}")]
    [InlineData("{{search.metadata.success}}")]
    [InlineData("{{candidate_emails.emails}}")]
    public void Plan_ExplicitDataMetadataOrOutputVariable_IsNotReportedAsImplicit(string reference)
    {
        var result = Workflows.Plan($"[ {Producer}, {Consumer(reference)} ]");

        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("{{candidate_emails.emails[0].subject}}")]
    [InlineData("{{candidate_emails.emails[*].snippet}}")]
    [InlineData("{{candidate_emails.emails.length}}")]
    [InlineData("{{search.data.total}}")]
    public void Plan_ReferenceTheOutputSchemaDeclares_IsNotWarned(string reference)
    {
        var result = Workflows.Plan($"[ {Producer}, {Consumer(reference)} ]");

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.PathNotInOutputSchema);
    }

    [Theory]
    [InlineData("{{candidate_emails.emials}}", "'emails'")]
    [InlineData("{{search.data.emails[0].subjct}}", "'subject'")]
    [InlineData("{{search.totl}}", "'total'")]
    public void Plan_ReferenceTheOutputSchemaLacks_WarnsWithTheClosestDeclaredName(string reference, string suggestion)
    {
        var result = Workflows.Plan($"[ {Producer}, {Consumer(reference)} ]");

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.PathNotInOutputSchema);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(("post", "$[1].params.text"), (warning.StepId, warning.Path));
        Assert.Contains("did you mean " + suggestion, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ReferenceFarFromEveryDeclaredName_ListsTheDeclaredNames()
    {
        var result = Workflows.Plan($"[ {Producer}, {Consumer("{{candidate_emails.attachments}}")} ]");

        var warning = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.PathNotInOutputSchema);
        Assert.Contains("declared: emails, total", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ConfigReference_IsAcceptedWithoutAStepNamedConfig()
    {
        var result = Workflows.Plan($"[ {Consumer("{{config.sheet_tab_name}}")} ]");

        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Plan_InputsAlias_IsCheckedAgainstTheDeclaredInputs()
    {
        var result = Workflows.Plan($$"""{ "input_schema": [ { "name": "query", "type": "string" } ], "workflow_steps": [ {{Consumer("{{inputs.qurey}}")}} ] }""");

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UndeclaredInput && d.IsError);
    }

    [Fact]
    public void Plan_SubWorkflowStepReadingItsInputByBareName_IsAccepted()
    {
        var result = Workflows.Plan("""
            [ { "id": "call", "type": "sub_workflow", "inputs": { "order_id": "42" },
                "workflowSteps": [ { "id": "inner", "type": "action", "plugin": "p", "action": "a", "params": { "id": "{{order_id}}", "same": "{{input.order_id}}" } } ] } ]
            """);

        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
    }

    [Fact]
    public void Plan_BareListDocument_UsesDollarIndexPathsInLoaderAndPlannerDiagnostics()
    {
        var result = Workflows.Plan("""
            [ { "id": "a", "type": "delay", "duration": 1, "typo": 1 },
              { "id": "b", "type": "action", "plugin": "p", "action": "a", "params": { "x": "{{nowhere.data}}" } } ]
            """);

        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField && d.Path == "$[0].typo");
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownStepReference && d.Path == "$[1].params.x");
        Assert.DoesNotContain(result.Diagnostics, d => d.Path!.StartsWith("$.workflow_steps", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_ValidationRuleReadingAnUnknownStep_IsReportedUnderRules()
    {
        var result = Workflows.Plan("""
            [ { "id": "v", "type": "validation", "input": "{{input.order}}",
                "rules": [ { "field": "amount", "condition": "{{item.amount}} > 0" }, { "field": "vendor", "condition": "{{nowhere.data.ok}} == true" } ] } ]
            """);

        var error = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownStepReference);
        Assert.StartsWith("$[0].rules[1]", error.Path, StringComparison.Ordinal);
    }
}
