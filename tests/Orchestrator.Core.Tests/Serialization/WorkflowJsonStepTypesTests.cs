using System.Text.Json;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

public sealed class WorkflowJsonStepTypesTests
{
    private static TStep LoadSingle<TStep>(string stepJson)
        where TStep : WorkflowStep
    {
        var result = WorkflowJson.Load("[" + stepJson + "]");
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return Assert.IsAssignableFrom<TStep>(Assert.Single(result.Definition!.Steps));
    }

    private static void AssertRoundTrips(string stepJson)
    {
        var definition = WorkflowJson.Load("[" + stepJson + "]").GetDefinitionOrThrow();

        var saved = WorkflowJson.Serialize(definition);
        var reloaded = WorkflowJson.Load(saved);

        Assert.Empty(reloaded.Diagnostics);
        Assert.Equal(definition, reloaded.GetDefinitionOrThrow());
        Assert.Equal(saved, WorkflowJson.Serialize(reloaded.Definition!));
    }

    private static ReferenceValue Ref(string path) => new(ReferencePath.Parse(path));

    private const string BaseFields = """
        "name": "The step", "description": "What it does", "metadata": { "owner": "ops", "tags": ["a"] },
        "dependencies": ["step0", "other"],
        "executeIf": { "field": "step0.data.ok", "operator": "==", "value": true },
        "continueOnError": true,
        "fallback": { "items": [], "source": "{{input.default}}" },
        "retryPolicy": { "maxRetries": 3, "backoffMs": 1500, "backoffMultiplier": 1.5, "jitter": true, "retryableErrors": ["TIMEOUT", "429"] },
        "timeout": 30000,
        "rollbackAction": { "plugin": "slack", "action": "delete_message", "params": { "ts": "{{self.data.ts}}" } },
        "cache": { "enabled": true, "key": "emails-{{input.query}}", "ttl": 600 }
        """;

    private const string ActionJson = """
        { "id": "send", "type": "action", BASE, "plugin": "slack", "action": "send_message",
          "params": { "channel": "{{input.channel}}", "text": "Hi {{step1.data.name}}", "count": 3 } }
        """;

    private const string LlmDecisionJson = """
        { "id": "judge", "type": "llm_decision", "prompt": "Is this urgent? {{step2.data.decision}}", "params": { "summary": "{{step2.data}}" },
          "model": "gpt-4o-mini", "temperature": 0.2, "maxTokens": 256,
          "outputSchema": { "type": "object", "properties": { "urgent": { "type": "boolean" } } },
          "options": ["urgent", "normal"] }
        """;

    private const string AiProcessingJson = """
        { "id": "summarise", "type": "ai_processing", "prompt": "Summarise: {{step1.data.emails}}", "temperature": 0.7 }
        """;

    private const string ConditionalJson = """
        { "id": "check", "type": "conditional", "condition": "{{step1.data.count}} > 0 && step1.data.ok",
          "trueBranch": ["notify", "log"], "falseBranch": "skip_all" }
        """;

    private const string LoopJson = """
        { "id": "each", "type": "loop", "iterateOver": "step1.data.emails", "maxIterations": 50, "parallel": true, "maxConcurrency": 4,
          "loopSteps": [
            { "id": "read", "type": "action", "plugin": "google-mail", "action": "get", "params": { "id": "{{current.id}}", "n": "{{index}}" } },
            { "type": "ai_processing", "prompt": "Summarise {{read.data}}" }
          ] }
        """;

    private const string TransformJson = """
        { "id": "shape", "type": "transform", "operation": "map", "input": "{{step1.data.items}}",
          "config": { "mapping": { "title": "{{item.subject}}", "fixed": 1 }, "condition": "item.score > 0.5", "reducer": "sum",
                      "initialValue": 0, "field": "score", "order": "desc",
                      "aggregations": [ { "field": "score", "operation": "avg", "alias": "mean" }, { "field": "id", "operation": "count" } ] } }
        """;

    private const string DelayJson = """{ "id": "wait", "type": "delay", "duration": 2500 }""";

    private const string ParallelGroupJson = """
        { "id": "fan", "type": "parallel_group", "maxConcurrency": 2, "steps": [
            { "id": "a", "type": "delay", "duration": 10 },
            { "id": "b", "type": "action", "plugin": "p", "action": "x" } ] }
        """;

    private const string SwitchJson = """
        { "id": "route", "type": "switch", "evaluate": "{{step3.data.decision}}",
          "cases": { "urgent": ["page", "email"], "normal": "email", "0": [] }, "default": "log" }
        """;

    private const string ScatterGatherJson = """
        { "id": "gather", "type": "scatter_gather",
          "scatter": { "input": "{{input.topics}}", "maxConcurrency": 3, "itemVariable": "topic",
                       "steps": [ { "id": "search", "type": "action", "plugin": "web", "action": "search", "params": { "q": "{{topic}}" } } ] },
          "gather": { "operation": "reduce", "outputKey": "all", "reduceExpression": "acc + item" } }
        """;

    private const string EnrichmentJson = """
        { "id": "enrich", "type": "enrichment", "strategy": "deep_merge", "joinOn": "id", "mergeArrays": true,
          "sources": [ { "key": "user", "from": "{{step1.data.user}}" }, { "key": "orders", "from": "step2.data.orders" } ] }
        """;

    private const string ValidationJson = """
        { "id": "validate", "type": "validation", "input": "{{step1.data}}",
          "schema": { "type": "object", "required": ["email"], "properties": { "email": { "type": "string", "pattern": "@" } } },
          "rules": [ { "field": "email", "condition": { "field": "item.email", "operator": "ends_with", "value": ".org" }, "message": "Only .org" } ],
          "onValidationFail": "continue" }
        """;

    private const string ComparisonJson = """
        { "id": "compare", "type": "comparison", "left": "{{step1.data}}", "right": "step2.data",
          "operation": "deep_equals", "outputFormat": "detailed" }
        """;

    private const string SubWorkflowJson = """
        { "id": "child", "type": "sub_workflow", "workflowId": "wf-42",
          "workflowSteps": [ { "id": "inner", "type": "delay", "duration": 5 } ],
          "inputs": { "query": "{{input.query}}", "limit": 5 }, "outputMapping": { "result": "inner.data" },
          "inheritContext": true, "onError": "return_error", "timeout": 60000 }
        """;

    private const string HumanApprovalJson = """
        { "id": "review", "type": "human_approval", "approvers": ["ed@example.org", "boss@example.org"], "approvalType": "majority",
          "title": "Send {{count.data.n}} digests?", "message": "Please review", "context": { "n": "{{count.data.n}}" },
          "timeout": 86400000, "onTimeout": "escalate", "escalateTo": "cto@example.org",
          "requireComment": true, "allowDelegate": true, "notificationChannels": ["email", "slack"] }
        """;

    public static TheoryData<string, Type, string> AllStepTypes => new()
    {
        { ActionJson.Replace("BASE", BaseFields, StringComparison.Ordinal), typeof(ActionStep), "action" },
        { LlmDecisionJson, typeof(LlmStep), "llm_decision" },
        { AiProcessingJson, typeof(LlmStep), "ai_processing" },
        { ConditionalJson, typeof(ConditionalStep), "conditional" },
        { LoopJson, typeof(LoopStep), "loop" },
        { TransformJson, typeof(TransformStep), "transform" },
        { DelayJson, typeof(DelayStep), "delay" },
        { ParallelGroupJson, typeof(ParallelGroupStep), "parallel_group" },
        { SwitchJson, typeof(SwitchStep), "switch" },
        { ScatterGatherJson, typeof(ScatterGatherStep), "scatter_gather" },
        { EnrichmentJson, typeof(EnrichmentStep), "enrichment" },
        { ValidationJson, typeof(ValidationStep), "validation" },
        { ComparisonJson, typeof(ComparisonStep), "comparison" },
        { SubWorkflowJson, typeof(SubWorkflowStep), "sub_workflow" },
        { HumanApprovalJson, typeof(HumanApprovalStep), "human_approval" },
    };

    [Fact]
    public void AllStepTypes_CoverEveryKnownTypeName()
    {
        Assert.Equal(StepTypeNames.All.Order(StringComparer.Ordinal), AllStepTypes.Select(row => (string)row[2]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AllStepTypes))]
    public void Load_EachStepType_ReadsConcreteTypeAndKeepsTypeName(string json, Type expectedType, string typeName)
    {
        var step = LoadSingle<WorkflowStep>(json);

        Assert.IsType(expectedType, step);
        Assert.Equal(typeName, step.Type);
    }

    [Theory]
    [MemberData(nameof(AllStepTypes))]
    public void Serialize_EachStepType_LoadsBackEqual(string json, Type expectedType, string typeName)
    {
        _ = expectedType;
        _ = typeName;
        AssertRoundTrips(json);
    }

    [Theory]
    [MemberData(nameof(AllStepTypes))]
    public void Serialize_EachStepType_WritesTypeFirst(string json, Type expectedType, string typeName)
    {
        _ = expectedType;
        var definition = WorkflowJson.Load("[" + json + "]").GetDefinitionOrThrow();

        using var saved = JsonDocument.Parse(WorkflowJson.Serialize(definition));

        var step = saved.RootElement.GetProperty("workflow_steps")[0];
        var first = step.EnumerateObject().First();
        Assert.Equal("type", first.Name);
        Assert.Equal(typeName, first.Value.GetString());
    }

    [Fact]
    public void Load_BaseFields_AreTyped()
    {
        var step = LoadSingle<ActionStep>(ActionJson.Replace("BASE", BaseFields, StringComparison.Ordinal));

        Assert.Equal("send", step.Id);
        Assert.Equal("The step", step.Name);
        Assert.Equal("What it does", step.Description);
        Assert.Equal(LiteralValue.FromJson("""{ "owner": "ops", "tags": ["a"] }"""), step.Metadata);
        Assert.Equal(["step0", "other"], step.Dependencies);
        Assert.Equal(new ComparisonCondition(Ref("step0.data.ok"), ConditionOperator.Equal, LiteralValue.FromJson("true")), step.ExecuteIf);
        Assert.True(step.ContinueOnError);
        var fallback = Assert.IsType<ObjectTemplate>(step.Fallback);
        Assert.Equal(LiteralValue.FromJson("[]"), fallback.Properties[0].Value);
        Assert.Equal(Ref("input.default"), fallback.Properties[1].Value);
        Assert.Equal(
            new RetryPolicy
            {
                MaxRetries = 3,
                Backoff = TimeSpan.FromMilliseconds(1500),
                BackoffMultiplier = 1.5,
                Jitter = true,
                RetryableErrors = ["TIMEOUT", "429"],
            },
            step.RetryPolicy);
        Assert.Equal(TimeSpan.FromSeconds(30), step.Timeout);
        Assert.NotNull(step.RollbackAction);
        Assert.Equal("slack", step.RollbackAction.Plugin);
        Assert.Equal("delete_message", step.RollbackAction.Action);
        Assert.Equal(TemplateValue.Parse(TestJson.Parse("""{ "ts": "{{self.data.ts}}" }""")), step.RollbackAction.Params);
        Assert.NotNull(step.Cache);
        Assert.True(step.Cache.Enabled);
        Assert.Equal(TemplateValue.Parse("emails-{{input.query}}"), step.Cache.Key);
        Assert.Equal(TimeSpan.FromMinutes(10), step.Cache.Ttl);
    }

    [Fact]
    public void Load_StepWithoutBaseFields_HasDefaults()
    {
        var step = LoadSingle<DelayStep>(DelayJson);

        Assert.Null(step.Name);
        Assert.Null(step.Description);
        Assert.Null(step.Metadata);
        Assert.True(step.Dependencies.IsEmpty);
        Assert.Null(step.ExecuteIf);
        Assert.False(step.ContinueOnError);
        Assert.Null(step.Fallback);
        Assert.Null(step.RetryPolicy);
        Assert.Null(step.Timeout);
        Assert.Null(step.RollbackAction);
        Assert.Null(step.Cache);
    }

    [Fact]
    public void Load_Action_ReadsPluginActionAndParams()
    {
        var step = LoadSingle<ActionStep>(ActionJson.Replace("BASE", BaseFields, StringComparison.Ordinal));

        Assert.Equal("slack", step.Plugin);
        Assert.Equal("send_message", step.Action);
        var parameters = Assert.IsType<ObjectTemplate>(step.Params);
        Assert.Equal(Ref("input.channel"), parameters.Properties[0].Value);
        Assert.IsType<TextTemplate>(parameters.Properties[1].Value);
        Assert.Equal(LiteralValue.FromJson("3"), parameters.Properties[2].Value);
    }

    [Fact]
    public void Load_LlmDecision_ReadsEveryField()
    {
        var step = LoadSingle<LlmStep>(LlmDecisionJson);

        Assert.Equal(LlmStepKind.Decision, step.Kind);
        Assert.Equal(StepTypeNames.LlmDecision, step.Type);
        Assert.Equal(TemplateValue.Parse("Is this urgent? {{step2.data.decision}}"), step.Prompt);
        Assert.Equal(TemplateValue.Parse(TestJson.Parse("""{ "summary": "{{step2.data}}" }""")), step.Params);
        Assert.Equal("gpt-4o-mini", step.Model);
        Assert.Equal(0.2, step.Temperature);
        Assert.Equal(256, step.MaxTokens);
        Assert.Equal(LiteralValue.FromJson("""{ "type": "object", "properties": { "urgent": { "type": "boolean" } } }"""), step.OutputSchema);
        Assert.Equal(["urgent", "normal"], step.Options);
    }

    [Fact]
    public void Load_AiProcessing_IsLlmStepOfKindProcessing()
    {
        var step = LoadSingle<LlmStep>(AiProcessingJson);

        Assert.Equal(LlmStepKind.Processing, step.Kind);
        Assert.Equal(StepTypeNames.AiProcessing, step.Type);
        Assert.Equal(0.7, step.Temperature);
        Assert.Null(step.Model);
        Assert.True(step.Options.IsEmpty);
    }

    [Fact]
    public void Serialize_AiProcessingAndLlmDecision_KeepTheirTypeNames()
    {
        var definition = WorkflowJson.Load("[" + AiProcessingJson + "," + LlmDecisionJson + "]").GetDefinitionOrThrow();

        using var saved = JsonDocument.Parse(WorkflowJson.Serialize(definition));

        var steps = saved.RootElement.GetProperty("workflow_steps");
        Assert.Equal("ai_processing", steps[0].GetProperty("type").GetString());
        Assert.Equal("llm_decision", steps[1].GetProperty("type").GetString());
        Assert.False(steps[0].TryGetProperty("kind", out _));
    }

    [Fact]
    public void Equals_LlmStepsDifferingOnlyInKind_AreNotEqual()
    {
        var processing = LoadSingle<LlmStep>(AiProcessingJson);

        Assert.NotEqual(processing, processing with { Kind = LlmStepKind.Decision });
    }

    [Fact]
    public void Load_Conditional_ReadsConditionAndBranches()
    {
        var step = LoadSingle<ConditionalStep>(ConditionalJson);

        var condition = Assert.IsType<ExpressionCondition>(step.Condition);
        Assert.Equal("{{step1.data.count}} > 0 && step1.data.ok", condition.Text);
        Assert.IsType<AllCondition>(condition.Parsed);
        Assert.Equal(["notify", "log"], step.TrueBranch);
        Assert.Equal(["skip_all"], step.FalseBranch);
    }

    [Fact]
    public void Load_ConditionalWithoutBranches_HasEmptyBranches()
    {
        var step = LoadSingle<ConditionalStep>("""{ "id": "c", "type": "conditional", "condition": { "field": "a", "operator": "exists" } }""");

        Assert.True(step.TrueBranch.IsEmpty);
        Assert.True(step.FalseBranch.IsEmpty);
    }

    [Fact]
    public void Load_Loop_ReadsSettingsAndInlineSteps()
    {
        var step = LoadSingle<LoopStep>(LoopJson);

        Assert.Equal(Ref("step1.data.emails"), step.IterateOver);
        Assert.Equal(50, step.MaxIterations);
        Assert.True(step.Parallel);
        Assert.Equal(4, step.MaxConcurrency);
        Assert.Equal(2, step.LoopSteps.Count);
        var read = Assert.IsType<ActionStep>(step.LoopSteps[0]);
        Assert.Equal("read", read.Id);
        var inner = Assert.IsType<LlmStep>(step.LoopSteps[1]);
        Assert.Equal("step2", inner.Id);
        Assert.Equal(LlmStepKind.Processing, inner.Kind);
    }

    [Fact]
    public void Load_LoopWithoutMaxIterations_LeavesDefaultToConsumer()
    {
        var step = LoadSingle<LoopStep>("""{ "id": "l", "type": "loop", "iterateOver": "{{input.items}}" }""");

        Assert.Null(step.MaxIterations);
        Assert.Equal(100, LoopStep.DefaultMaxIterations);
        Assert.True(step.LoopSteps.IsEmpty);
        Assert.False(step.Parallel);
    }

    [Fact]
    public void Load_Transform_ReadsOperationInputAndConfig()
    {
        var step = LoadSingle<TransformStep>(TransformJson);

        Assert.Equal(TransformOperation.Map, step.Operation);
        Assert.Equal(Ref("step1.data.items"), step.Input);
        var config = Assert.IsType<TransformConfig>(step.Config);
        Assert.Equal(TemplateValue.Parse(TestJson.Parse("""{ "title": "{{item.subject}}", "fixed": 1 }""")), config.Mapping);
        Assert.Equal(Condition.Parse("item.score > 0.5"), config.Condition);
        Assert.Equal(ReducerKind.Sum, config.Reducer);
        Assert.Equal(LiteralValue.FromJson("0"), config.InitialValue);
        Assert.Equal("score", config.Field);
        Assert.Equal(SortOrder.Descending, config.Order);
        Assert.Equal(
            [
                new Aggregation { Field = "score", Operation = AggregateFunction.Average, Alias = "mean" },
                new Aggregation { Field = "id", Operation = AggregateFunction.Count },
            ],
            config.Aggregations);
    }

    [Theory]
    [InlineData("map", TransformOperation.Map)]
    [InlineData("filter", TransformOperation.Filter)]
    [InlineData("reduce", TransformOperation.Reduce)]
    [InlineData("sort", TransformOperation.Sort)]
    [InlineData("group", TransformOperation.Group)]
    [InlineData("aggregate", TransformOperation.Aggregate)]
    [InlineData("set", TransformOperation.Set)]
    public void Load_TransformOperation_MapsEverySpelling(string spelling, TransformOperation expected)
    {
        var step = LoadSingle<TransformStep>($$"""{ "id": "t", "type": "transform", "operation": "{{spelling}}", "input": "a.b" }""");

        Assert.Equal(expected, step.Operation);
    }

    [Fact]
    public void Load_TransformWithLiteralInput_KeepsLiteral()
    {
        var step = LoadSingle<TransformStep>("""{ "id": "t", "type": "transform", "operation": "sort", "input": [3, 1, 2] }""");

        Assert.Equal(LiteralValue.FromJson("[3, 1, 2]"), step.Input);
    }

    [Fact]
    public void Load_Delay_ReadsMilliseconds()
    {
        var step = LoadSingle<DelayStep>(DelayJson);

        Assert.Equal(TimeSpan.FromMilliseconds(2500), step.Duration);
    }

    [Fact]
    public void Load_DurationWrittenAsNumericString_IsRead()
    {
        var step = LoadSingle<DelayStep>("""{ "id": "w", "type": "delay", "duration": "1500", "timeout": "250.5" }""");

        Assert.Equal(TimeSpan.FromMilliseconds(1500), step.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(250.5), step.Timeout);
    }

    [Fact]
    public void Load_ParallelGroup_ReadsInlineSteps()
    {
        var step = LoadSingle<ParallelGroupStep>(ParallelGroupJson);

        Assert.Equal(2, step.MaxConcurrency);
        Assert.Equal(["a", "b"], step.Steps.Select(s => s.Id));
        Assert.IsType<DelayStep>(step.Steps[0]);
        Assert.IsType<ActionStep>(step.Steps[1]);
    }

    [Fact]
    public void Load_Switch_ReadsCasesInOrderAndSingleStringTargets()
    {
        var step = LoadSingle<SwitchStep>(SwitchJson);

        Assert.Equal(Ref("step3.data.decision"), step.Evaluate);
        Assert.Equal(
            [
                new SwitchCase("urgent", ["page", "email"]),
                new SwitchCase("normal", ["email"]),
                new SwitchCase("0", []),
            ],
            step.Cases);
        Assert.Equal(["log"], step.Default);
    }

    [Fact]
    public void Load_SwitchWithBarePathOrText_ReadsReferenceOrTemplate()
    {
        var bare = LoadSingle<SwitchStep>("""{ "id": "s", "type": "switch", "evaluate": "step3.data.decision" }""");
        var text = LoadSingle<SwitchStep>("""{ "id": "s", "type": "switch", "evaluate": "{{a}}-{{b}}" }""");

        Assert.Equal(Ref("step3.data.decision"), bare.Evaluate);
        Assert.IsType<TextTemplate>(text.Evaluate);
    }

    [Fact]
    public void Load_ScatterGather_ReadsScatterAndGather()
    {
        var step = LoadSingle<ScatterGatherStep>(ScatterGatherJson);

        Assert.Equal(Ref("input.topics"), step.Scatter.Input);
        Assert.Equal(3, step.Scatter.MaxConcurrency);
        Assert.Equal("topic", step.Scatter.ItemVariable);
        var search = Assert.IsType<ActionStep>(Assert.Single(step.Scatter.Steps));
        Assert.Equal(TemplateValue.Parse(TestJson.Parse("""{ "q": "{{topic}}" }""")), search.Params);
        Assert.Equal(new GatherSettings { Operation = GatherOperation.Reduce, OutputKey = "all", ReduceExpression = "acc + item" }, step.Gather);
    }

    [Fact]
    public void Load_Enrichment_ReadsSourcesAndStrategy()
    {
        var step = LoadSingle<EnrichmentStep>(EnrichmentJson);

        Assert.Equal(EnrichmentStrategy.DeepMerge, step.Strategy);
        Assert.Equal("id", step.JoinOn);
        Assert.True(step.MergeArrays);
        Assert.Equal(
            [
                new EnrichmentSource { Key = "user", From = Ref("step1.data.user") },
                new EnrichmentSource { Key = "orders", From = Ref("step2.data.orders") },
            ],
            step.Sources);
    }

    [Fact]
    public void Load_Validation_ReadsSchemaRulesAndFailureAction()
    {
        var step = LoadSingle<ValidationStep>(ValidationJson);

        Assert.Equal(Ref("step1.data"), step.Input);
        Assert.Equal(
            LiteralValue.FromJson("""{ "type": "object", "required": ["email"], "properties": { "email": { "type": "string", "pattern": "@" } } }"""),
            step.Schema);
        var rule = Assert.Single(step.Rules);
        Assert.Equal("email", rule.Field);
        Assert.Equal("Only .org", rule.Message);
        Assert.Equal(new ComparisonCondition(Ref("item.email"), ConditionOperator.EndsWith, LiteralValue.FromString(".org")), rule.Condition);
        Assert.Equal(ValidationFailureAction.Continue, step.OnValidationFail);
    }

    [Fact]
    public void Load_Comparison_ReadsSidesOperationAndFormat()
    {
        var step = LoadSingle<ComparisonStep>(ComparisonJson);

        Assert.Equal(Ref("step1.data"), step.Left);
        Assert.Equal(Ref("step2.data"), step.Right);
        Assert.Equal(ComparisonOperation.DeepEquals, step.Operation);
        Assert.Equal(ComparisonOutputFormat.Detailed, step.OutputFormat);
    }

    [Fact]
    public void Load_SubWorkflow_ReadsEveryField()
    {
        var step = LoadSingle<SubWorkflowStep>(SubWorkflowJson);

        Assert.Equal("wf-42", step.WorkflowId);
        Assert.IsType<DelayStep>(Assert.Single(step.WorkflowSteps));
        Assert.Equal(TemplateValue.Parse(TestJson.Parse("""{ "query": "{{input.query}}", "limit": 5 }""")), step.Inputs);
        Assert.Equal(LiteralValue.FromJson("""{ "result": "inner.data" }"""), step.OutputMapping);
        Assert.True(step.InheritContext);
        Assert.Equal(SubWorkflowErrorMode.ReturnError, step.OnError);
        Assert.Equal(TimeSpan.FromMinutes(1), step.Timeout);
    }

    [Fact]
    public void Load_HumanApproval_ReadsEveryField()
    {
        var step = LoadSingle<HumanApprovalStep>(HumanApprovalJson);

        Assert.Equal(["ed@example.org", "boss@example.org"], step.Approvers);
        Assert.Equal(ApprovalType.Majority, step.ApprovalType);
        Assert.IsType<TextTemplate>(step.Title);
        Assert.Equal(LiteralValue.FromString("Please review"), step.Message);
        Assert.IsType<ObjectTemplate>(step.Context);
        Assert.Equal(TimeSpan.FromDays(1), step.Timeout);
        Assert.Equal(ApprovalTimeoutAction.Escalate, step.OnTimeout);
        Assert.Equal(["cto@example.org"], step.EscalateTo);
        Assert.True(step.RequireComment);
        Assert.True(step.AllowDelegate);
        Assert.Equal(["email", "slack"], step.NotificationChannels.Select(c => c.Type));
    }

    [Fact]
    public void Serialize_Durations_WritesMillisecondsAndTtlSeconds()
    {
        var definition = WorkflowJson.Load("[" + ActionJson.Replace("BASE", BaseFields, StringComparison.Ordinal) + "," + DelayJson + "]").GetDefinitionOrThrow();

        using var saved = JsonDocument.Parse(WorkflowJson.Serialize(definition));

        var steps = saved.RootElement.GetProperty("workflow_steps");
        Assert.Equal(30000, steps[0].GetProperty("timeout").GetDouble());
        Assert.Equal(1500, steps[0].GetProperty("retryPolicy").GetProperty("backoffMs").GetDouble());
        Assert.Equal(600, steps[0].GetProperty("cache").GetProperty("ttl").GetDouble());
        Assert.Equal(2500, steps[1].GetProperty("duration").GetDouble());
    }

    [Fact]
    public void Serialize_Indented_LoadsBackEqual()
    {
        var definition = WorkflowJson.Load("[" + LoopJson + "," + SwitchJson + "]").GetDefinitionOrThrow();

        var saved = WorkflowJson.Serialize(definition, indented: true);

        Assert.Contains(Environment.NewLine, saved, StringComparison.Ordinal);
        Assert.Equal(definition, WorkflowJson.Load(saved).GetDefinitionOrThrow());
    }

    [Fact]
    public void Serialize_ToWriter_WritesSameJsonAsString()
    {
        var definition = WorkflowJson.Load("[" + ComparisonJson + "]").GetDefinitionOrThrow();

        var written = TestJson.Write(writer => WorkflowJson.WriteTo(writer, definition));

        Assert.Equal(WorkflowJson.Serialize(definition), written);
    }

    [Fact]
    public void Load_SameDocumentTwice_GivesEqualDefinitionsWithEqualHashes()
    {
        var json = "[" + string.Join(",", AllStepTypes.Select(row => (string)row[0])) + "]";

        var first = WorkflowJson.Load(json).GetDefinitionOrThrow();
        var second = WorkflowJson.Load(json).GetDefinitionOrThrow();

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(15, first.Steps.Count);
    }

    [Fact]
    public void Serialize_AllStepTypesInOneDocument_LoadsBackEqual()
    {
        AssertRoundTrips(string.Join(",", AllStepTypes.Select(row => (string)row[0])));
    }
}
