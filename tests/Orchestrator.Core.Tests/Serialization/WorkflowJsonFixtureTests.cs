using System.Text;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

public sealed class WorkflowJsonFixtureTests
{
    [Theory]
    [InlineData("email-summary.json")]
    [InlineData("research-digest.json")]
    [InlineData("email-summary-legacy.json")]
    public void Load_Fixture_SucceedsWithoutDiagnostics(string name)
    {
        var result = WorkflowJson.Load(TestJson.ReadFixture(name));

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.UnreadableStepIds);
    }

    [Theory]
    [InlineData("email-summary.json")]
    [InlineData("research-digest.json")]
    [InlineData("email-summary-legacy.json")]
    public void Serialize_Fixture_LoadsBackEqual(string name)
    {
        var definition = WorkflowJson.Load(TestJson.ReadFixture(name)).GetDefinitionOrThrow();

        var reloaded = WorkflowJson.Load(WorkflowJson.Serialize(definition));

        Assert.Empty(reloaded.Diagnostics);
        Assert.Equal(definition, reloaded.Definition);
    }

    [Fact]
    public async Task LoadAsync_FixtureStream_EqualsLoadFromString()
    {
        var json = TestJson.ReadFixture("research-digest.json");
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var result = await WorkflowJson.LoadAsync(stream);

        Assert.Equal(WorkflowJson.Load(json).Definition, result.GetDefinitionOrThrow());
    }

    [Fact]
    public void Load_Utf8Bytes_EqualsLoadFromString()
    {
        var json = TestJson.ReadFixture("email-summary.json");

        var result = WorkflowJson.Load(Encoding.UTF8.GetBytes(json).AsMemory());

        Assert.Equal(WorkflowJson.Load(json).Definition, result.GetDefinitionOrThrow());
    }

    [Fact]
    public void Load_EmailSummary_ReadsAgentRecord()
    {
        var definition = WorkflowJson.Load(TestJson.ReadFixture("email-summary.json")).GetDefinitionOrThrow();

        Assert.Equal("3ed35aa5-d46b-4dcd-a515-939be54b480d", definition.Id);
        Assert.Equal("Email Summary and Notification Agent", definition.Name);
        Assert.StartsWith("Summarises unread mail", definition.Description, StringComparison.Ordinal);
        Assert.Equal(
            [
                new InputParameter { Name = "query", Type = "string", Required = false, Default = LiteralValue.FromString("is:unread newer_than:1d") },
                new InputParameter { Name = "channel", Type = "string", Required = true },
            ],
            definition.InputSchema);
        Assert.Equal(
            [
                new OutputField { Name = "summary", Type = "string", Source = ReferencePath.Parse("step2.data.decision") },
                new OutputField { Name = "urgency", Type = "string", Source = ReferencePath.Parse("step3.data.decision") },
                new OutputField { Name = "posted", Type = "boolean", Source = ReferencePath.Parse("step4.metadata.success") },
            ],
            definition.OutputSchema);
        Assert.Equal(["step1", "step2", "step3", "step4", "step5"], definition.Steps.Select(s => s.Id));
        Assert.Equal(
            [typeof(ActionStep), typeof(LlmStep), typeof(LlmStep), typeof(ActionStep), typeof(ActionStep)],
            definition.Steps.Select(s => s.GetType()));
    }

    [Fact]
    public void Load_EmailSummary_TypedListWithoutDependencies_IsNotMadeASequence()
    {
        var definition = WorkflowJson.Load(TestJson.ReadFixture("email-summary.json")).GetDefinitionOrThrow();

        Assert.All(definition.Steps, step => Assert.True(step.Dependencies.IsEmpty, step.Id));
    }

    [Fact]
    public void Load_EmailSummary_ReadsStepDetails()
    {
        var steps = WorkflowJson.Load(TestJson.ReadFixture("email-summary.json")).GetDefinitionOrThrow().Steps;

        var search = Assert.IsType<ActionStep>(steps[0]);
        Assert.Equal(2, search.RetryPolicy!.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(200), search.RetryPolicy.Backoff);
        Assert.Equal(["RATE_LIMIT", "429", "503"], search.RetryPolicy.RetryableErrors);
        Assert.Equal(TimeSpan.FromSeconds(30), search.Timeout);
        Assert.Equal(LlmStepKind.Processing, Assert.IsType<LlmStep>(steps[1]).Kind);
        var judge = Assert.IsType<LlmStep>(steps[2]);
        Assert.Equal(LlmStepKind.Decision, judge.Kind);
        Assert.Equal(["urgent", "normal"], judge.Options);
        var alert = Assert.IsType<ActionStep>(steps[4]);
        Assert.True(alert.ContinueOnError);
        Assert.Equal(
            new ComparisonCondition(new ReferenceValue(ReferencePath.Parse("step3.data.decision")), ConditionOperator.Equal, LiteralValue.FromString("urgent")),
            alert.ExecuteIf);
    }

    [Fact]
    public void Load_ResearchDigest_ReadsScatterSwitchAndApproval()
    {
        var steps = WorkflowJson.Load(TestJson.ReadFixture("research-digest.json")).GetDefinitionOrThrow().Steps;

        Assert.Equal(["gather", "nonempty", "count", "route", "tell_nothing", "review", "send_digest"], steps.Select(s => s.Id));
        var gather = Assert.IsType<ScatterGatherStep>(steps[0]);
        Assert.Equal("topic", gather.Scatter.ItemVariable);
        Assert.Equal(["search", "digest"], gather.Scatter.Steps.Select(s => s.Id));
        Assert.Equal(LiteralValue.FromJson("""{ "results": [] }"""), gather.Scatter.Steps[0].Fallback);
        Assert.Equal(GatherOperation.Collect, gather.Gather!.Operation);
        var filter = Assert.IsType<TransformStep>(steps[1]);
        Assert.Equal(TransformOperation.Filter, filter.Operation);
        Assert.Equal(ConditionOperator.IsNotEmpty, Assert.IsType<ComparisonCondition>(filter.Config!.Condition).Operator);
        var route = Assert.IsType<SwitchStep>(steps[3]);
        Assert.Equal([new SwitchCase("0", ["tell_nothing"])], route.Cases);
        Assert.Equal(["review", "send_digest"], route.Default);
        var review = Assert.IsType<HumanApprovalStep>(steps[5]);
        Assert.Equal(ApprovalTimeoutAction.Reject, review.OnTimeout);
        Assert.Equal("{{count.data.n}} > 3", Assert.IsType<ExpressionCondition>(review.ExecuteIf).Text);
        Assert.Equal(["review"], steps[6].Dependencies);
        Assert.Equal([new OutputField { Name = "sent_topics", Type = "number", Source = ReferencePath.Parse("count.data.n") }], WorkflowJson.Load(TestJson.ReadFixture("research-digest.json")).Definition!.OutputSchema);
    }

    [Fact]
    public void Load_LegacyFixture_NormalisesEntriesToTypedSteps()
    {
        var steps = WorkflowJson.Load(TestJson.ReadFixture("email-summary-legacy.json")).GetDefinitionOrThrow().Steps;

        Assert.Equal(["step1", "step2", "step3", "step4"], steps.Select(s => s.Id));
        var search = Assert.IsType<ActionStep>(steps[0]);
        Assert.Equal("Search unread emails", search.Name);
        Assert.Equal("google-mail", search.Plugin);
        Assert.Equal("search_emails", search.Action);
        Assert.Equal(LiteralValue.FromJson("""{ "query": "is:unread" }"""), search.Params);
        var summarise = Assert.IsType<LlmStep>(steps[1]);
        Assert.Equal("Summarize the emails", summarise.Name);
        Assert.Equal(LiteralValue.FromString("Summarize the emails"), summarise.Prompt);
        Assert.Equal(LlmStepKind.Processing, summarise.Kind);
        var pick = Assert.IsType<LlmStep>(steps[2]);
        Assert.Equal("Pick the three most important items", pick.Name);
        var send = Assert.IsType<ActionStep>(steps[3]);
        Assert.Equal("Send the summary", send.Name);
        Assert.Equal("slack", send.Plugin);
        Assert.Equal("send_message", send.Action);
        Assert.Equal(TemplateValue.Parse(TestJson.Parse("""{ "channel": "#inbox", "text": "{{step3.data.decision}}" }""")), send.Params);
    }

    [Fact]
    public void Load_LegacyFixtureWithoutDependencies_BecomesSequence()
    {
        var steps = WorkflowJson.Load(TestJson.ReadFixture("email-summary-legacy.json")).GetDefinitionOrThrow().Steps;

        Assert.True(steps[0].Dependencies.IsEmpty);
        Assert.Equal(["step1"], steps[1].Dependencies);
        Assert.Equal(["step2"], steps[2].Dependencies);
        Assert.Equal(["step3"], steps[3].Dependencies);
    }

    [Fact]
    public void Serialize_LegacyFixture_WritesTypedStepsWithExplicitDependencies()
    {
        var definition = WorkflowJson.Load(TestJson.ReadFixture("email-summary-legacy.json")).GetDefinitionOrThrow();

        var saved = WorkflowJson.Serialize(definition);

        Assert.DoesNotContain("plugin_action", saved, StringComparison.Ordinal);
        Assert.DoesNotContain("\"operation\"", saved, StringComparison.Ordinal);
        Assert.Contains("\"dependencies\":[\"step3\"]", saved, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LegacyListWhereOneEntryDeclaresDependencies_IsNotMadeASequence()
    {
        const string json = """
            [
              { "operation": "Search", "plugin": "google-mail", "plugin_action": "search_emails" },
              { "operation": "Summarise", "type": "ai_processing" },
              { "operation": "Send", "plugin": "slack", "plugin_action": "send_message", "dependencies": ["step1"] }
            ]
            """;

        var steps = WorkflowJson.Load(json).GetDefinitionOrThrow().Steps;

        Assert.True(steps[0].Dependencies.IsEmpty);
        Assert.True(steps[1].Dependencies.IsEmpty);
        Assert.Equal(["step1"], steps[2].Dependencies);
    }

    [Fact]
    public void Load_LegacyListWithSingleStringDependency_IsNotMadeASequence()
    {
        const string json = """
            [
              { "operation": "A", "plugin": "p", "plugin_action": "a" },
              { "operation": "B", "plugin": "p", "plugin_action": "b" },
              { "operation": "C", "plugin": "p", "plugin_action": "c", "dependencies": "step1" }
            ]
            """;

        var steps = WorkflowJson.Load(json).GetDefinitionOrThrow().Steps;

        Assert.True(steps[1].Dependencies.IsEmpty);
        Assert.Equal(["step1"], steps[2].Dependencies);
    }

    [Fact]
    public void Load_TypedListWithoutIdsOrDependencies_GetsPositionalIdsButNoSequence()
    {
        const string json = """
            [
              { "type": "action", "plugin": "p", "action": "a" },
              { "type": "delay", "duration": 5 },
              { "id": "last", "type": "ai_processing", "prompt": "x" }
            ]
            """;

        var steps = WorkflowJson.Load(json).GetDefinitionOrThrow().Steps;

        Assert.Equal(["step1", "step2", "last"], steps.Select(s => s.Id));
        Assert.All(steps, step => Assert.True(step.Dependencies.IsEmpty));
    }

    [Fact]
    public void Load_LegacyEntriesWithExplicitIds_SequenceUsesThoseIds()
    {
        const string json = """
            [
              { "id": "search", "operation": "Search", "plugin": "google-mail", "plugin_action": "search_emails" },
              { "operation": "Summarise", "type": "ai_processing" },
              { "id": "send", "operation": "Send", "type": "plugin_action", "plugin": "slack", "plugin_action": "send_message" }
            ]
            """;

        var steps = WorkflowJson.Load(json).GetDefinitionOrThrow().Steps;

        Assert.Equal(["search", "step2", "send"], steps.Select(s => s.Id));
        Assert.Equal(["search"], steps[1].Dependencies);
        Assert.Equal(["step2"], steps[2].Dependencies);
    }

    [Fact]
    public void Load_LegacyEntryWithExplicitNameAndPrompt_KeepsThem()
    {
        const string json = """[ { "operation": "Summarise", "type": "ai_processing", "name": "Kept", "prompt": "Kept prompt {{input.x}}" } ]""";

        var step = Assert.IsType<LlmStep>(Assert.Single(WorkflowJson.Load(json).GetDefinitionOrThrow().Steps));

        Assert.Equal("Kept", step.Name);
        Assert.Equal(TemplateValue.Parse("Kept prompt {{input.x}}"), step.Prompt);
    }

    [Fact]
    public void Load_LegacyEntry_ReportsNoUnknownFieldWarningForOperationOrPluginAction()
    {
        var result = WorkflowJson.Load(TestJson.ReadFixture("email-summary-legacy.json"));

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == Orchestrator.Core.Diagnostics.DiagnosticCodes.UnknownField);
    }
}
