using System.Text.Json;
using System.Collections.Concurrent;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Handlers;

public class ScatterGatherHandlerTests
{
    private readonly ScriptedPluginExecutor _plugins = new();
    private readonly ScriptedLlmClient _llm = new();

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, _llm).Build();

    private const string Topics = """{ "topics": ["alpha", "beta", "gamma"] }""";

    private static string Scatter(string gather, string extra = "", string searchExtra = "") =>
        $$$"""
        {
          "input_schema": [ { "name": "topics", "type": "array" } ],
          "workflow_steps": [
            { "id": "gather", "type": "scatter_gather",
              "scatter": { "input": "{{input.topics}}", "itemVariable": "topic" {{{extra}}}, "steps": [
                { "id": "search", "type": "action", "plugin": "web", "action": "search", "params": { "q": "{{topic}}", "label": "about {{topic}}" } {{{searchExtra}}} },
                { "id": "digest", "type": "action", "plugin": "web", "action": "digest", "params": { "results": "{{search.data.results}}", "topic": "{{topic}}" } } ] },
              "gather": {{{gather}}} }
          ]
        }
        """;

    private void ScriptSearchAndDigest(Func<string, PluginResult>? search = null)
    {
        _plugins.On("web.search", r => search?.Invoke(r.Parameters.GetProperty("q").GetString()!)
                ?? PluginResult.Ok(Json.Parse($$"""{ "results": ["{{r.Parameters.GetProperty("q").GetString()}}-1"] }""")))
            .On("web.digest", r => PluginResult.Ok(Json.Parse($$"""{ "summary": {{r.Parameters.GetProperty("results").GetRawText()}} }""")));
    }

    [Fact]
    public async Task ScatterGather_Collect_InnerStepsReadTheItemAndEachOtherInItemOrder()
    {
        ScriptSearchAndDigest();
        var result = await CreateSut().RunAsync(Scatter("""{ "operation": "collect" }"""), Topics);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["about alpha", "about beta", "about gamma"], _plugins.CallsTo("web.search").Select(c => c.Parameters.GetProperty("label").GetString()).Order());
        Assert.All(_plugins.CallsTo("web.digest"), c => Assert.Equal(c.Parameters.GetProperty("topic").GetString() + "-1", c.Parameters.GetProperty("results")[0].GetString()));
        var gathered = result.Steps["gather"].Data;
        Assert.Equal(3, gathered.GetArrayLength());
        Assert.Equal(["alpha-1", "beta-1", "gamma-1"], gathered.EnumerateArray().Select(o => o.GetProperty("digest").GetProperty("summary")[0].GetString()));
    }

    [Fact]
    public async Task ScatterGather_ItemsFinishingInReverse_CollectedInItemOrder()
    {
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        using var started = new SemaphoreSlim(0);
        _plugins.On("web.search", async (request, _) =>
        {
            var q = request.Parameters.GetProperty("q").GetString()!;
            started.Release();
            await gates.GetOrAdd(q, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            return PluginResult.Ok(Json.Parse($$"""{ "results": ["{{q}}-1"] }"""));
        }).On("web.digest", r => PluginResult.Ok(Json.Parse($$"""{ "summary": {{r.Parameters.GetProperty("results").GetRawText()}} }""")));
        var run = CreateSut().RunAsync(Scatter("""{ "operation": "collect" }"""), Topics).AsTask();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        }

        foreach (var q in new[] { "gamma", "beta", "alpha" })
        {
            gates[q].SetResult();
        }

        var result = await run.WaitAsync(HandlerRuns.Guard);
        Assert.Equal(["alpha-1", "beta-1", "gamma-1"], result.Steps["gather"].Data.EnumerateArray().Select(o => o.GetProperty("search").GetProperty("results")[0].GetString()));
    }

    [Fact]
    public async Task ScatterGather_MaxConcurrency_StartsNoMoreItemsThanTheLimit()
    {
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        using var started = new SemaphoreSlim(0);
        _plugins.On("web.search", async (request, _) =>
        {
            var q = request.Parameters.GetProperty("q").GetString()!;
            started.Release();
            await gates.GetOrAdd(q, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            return PluginResult.Ok(Json.Parse("""{ "results": [] }"""));
        }).On("web.digest", "{}");
        var run = CreateSut().RunAsync(Scatter("""{ "operation": "collect" }""", """, "maxConcurrency": 1"""), Topics).AsTask();
        foreach (var q in new[] { "alpha", "beta", "gamma" })
        {
            Assert.True(await started.WaitAsync(HandlerRuns.Guard));
            Assert.False(await started.WaitAsync(TimeSpan.Zero));
            Assert.Equal(q, _plugins.CallsTo("web.search").Last().Parameters.GetProperty("q").GetString());
            gates.GetOrAdd(q, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        }

        Assert.Equal(ExecutionStatus.Succeeded, (await run.WaitAsync(HandlerRuns.Guard)).Status);
    }

    [Fact]
    public async Task ScatterGather_AFailedItem_RecordedAsErrorAndItemAndTheRunPartiallySucceeds()
    {
        ScriptSearchAndDigest(q => q == "beta" ? PluginResult.Fail("search is down", "DOWN") : null!);
        var result = await CreateSut().RunAsync(Scatter("""{ "operation": "collect" }"""), Topics);

        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
        Assert.Equal(StepStatus.Succeeded, result.Steps["gather"].Status);
        var gathered = result.Steps["gather"].Data;
        Assert.Equal(3, gathered.GetArrayLength());
        Assert.Equal("beta", gathered[1].GetProperty("item").GetString());
        Assert.Contains("search is down", gathered[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("alpha-1", gathered[0].GetProperty("search").GetProperty("results")[0].GetString());
        Assert.Equal("gamma-1", gathered[2].GetProperty("search").GetProperty("results")[0].GetString());
    }

    [Fact]
    public async Task ScatterGather_InnerFallback_ItemSucceedsWithTheFallback()
    {
        ScriptSearchAndDigest(q => q == "beta" ? PluginResult.Fail("search is down", "DOWN") : null!);
        var result = await CreateSut().RunAsync(Scatter("""{ "operation": "collect" }""", searchExtra: """, "fallback": { "results": [] }"""), Topics);

        Assert.Equal(ExecutionStatus.PartiallySucceeded, result.Status);
        Assert.Equal("[]", result.Steps["gather"].Data[1].GetProperty("digest").GetProperty("summary").Text());
    }

    [Fact]
    public async Task ScatterGather_MergeWithOutputKey_MergedObjectIsTheDataNotWrapped()
    {
        ScriptSearchAndDigest();
        var result = await CreateSut().RunAsync(Scatter("""{ "operation": "merge", "outputKey": "merged" }"""), Topics);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var merged = result.Steps["gather"].Data;
        Assert.False(merged.TryGetProperty("merged", out _));
        Assert.Equal("gamma-1", merged.GetProperty("search").GetProperty("results")[0].GetString());
        Assert.True(merged.TryGetProperty("digest", out _));
    }

    [Fact]
    public async Task ScatterGather_CollectWithOutputKey_TheListIsTheDataAndTheKeyNamesIt()
    {
        ScriptSearchAndDigest();
        _plugins.On("report.write", r => PluginResult.Ok(r.Parameters));
        var document = Scatter("""{ "operation": "collect", "outputKey": "all" }""").Replace(
            "\"gather\": { \"operation\": \"collect\", \"outputKey\": \"all\" } }",
            """
            "gather": { "operation": "collect", "outputKey": "all" } },
                { "id": "report", "type": "action", "plugin": "report", "action": "write",
                  "params": { "named": "{{all}}", "first": "{{all[0].digest.summary[0]}}" } }
            """,
            StringComparison.Ordinal);
        var result = await CreateSut().RunAsync(document, Topics);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(JsonValueKind.Array, result.Steps["gather"].Data.ValueKind);
        Assert.Equal(3, result.Steps["gather"].Data.GetArrayLength());
        var call = Assert.Single(_plugins.CallsTo("report.write"));
        Assert.Equal(result.Steps["gather"].Data.GetRawText(), call.Parameters.GetProperty("named").GetRawText());
        Assert.Equal("alpha-1", call.Parameters.GetProperty("first").GetString());
    }

    [Fact]
    public async Task ScatterGather_CollectWithoutFrom_EachItemIsTheInnerStepsDataByIdSoAGroupReadsStepDotField()
    {
        // doc-intelligent-email-processor: group_by_priority groups the gathered items by 'classify.category', and the
        // next scatter reads {{group_by_priority.data.urgent}}; with items of {id: {data, metadata}} every key was null.
        _plugins.On("mail.classify", r => PluginResult.Ok(Json.Parse($$"""{ "category": "{{(r.Parameters.GetProperty("text").GetString() == "b" ? "low" : "urgent")}}" }""")))
            .On("chat.send", r => PluginResult.Ok(r.Parameters));
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "mails", "type": "array" } ],
              "workflow_steps": [
                { "id": "classify_all", "type": "scatter_gather",
                  "scatter": { "input": "{{input.mails}}", "itemVariable": "mail", "steps": [
                    { "id": "classify", "type": "action", "plugin": "mail", "action": "classify", "params": { "text": "{{mail}}" } } ] },
                  "gather": { "operation": "collect" } },
                { "id": "by_priority", "type": "transform", "operation": "group", "input": "{{classify_all.data}}", "config": { "field": "classify.category" } },
                { "id": "route_urgent", "type": "scatter_gather",
                  "scatter": { "input": "{{by_priority.data.urgent}}", "steps": [
                    { "id": "notify", "type": "action", "plugin": "chat", "action": "send", "params": { "category": "{{item.classify.category}}" } } ] } }
              ]
            }
            """,
            """{ "mails": ["a", "b", "c"] }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("""[{"classify":{"category":"urgent"}},{"classify":{"category":"low"}},{"classify":{"category":"urgent"}}]""", result.Steps["classify_all"].Data.GetRawText());
        Assert.Equal(["urgent", "urgent"], _plugins.CallsTo("chat.send").Select(c => c.Parameters.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task Regression_ScatterItemsCanBeReferenced_ByDefaultNameFieldsAndIndex()
    {
        _plugins.On("crm.touch", r => PluginResult.Ok(r.Parameters));
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "people", "type": "array" } ],
              "workflow_steps": [
                { "id": "each", "type": "scatter_gather",
                  "scatter": { "input": "{{input.people}}", "steps": [
                    { "id": "touch", "type": "action", "plugin": "crm", "action": "touch",
                      "params": { "whole": "{{item}}", "name": "{{item.name}}", "age": "{{item.age}}", "text": "{{item.name}} is {{item.age}}" } } ] },
                  "gather": { "operation": "collect" } },
                { "id": "first", "type": "action", "plugin": "crm", "action": "touch", "params": { "name": "{{each.data[0].touch.name}}" } }
              ]
            }
            """,
            """{ "people": [ { "name": "Ann", "age": 30 }, { "name": "Bo", "age": 4 } ] }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var calls = _plugins.Calls.Where(c => c.Parameters.TryGetProperty("whole", out _)).OrderBy(c => c.Parameters.GetProperty("name").GetString()).ToArray();
        Assert.Equal("""{"name":"Ann","age":30}""", calls[0].Parameters.GetProperty("whole").Text());
        Assert.Equal(30, calls[0].Parameters.GetProperty("age").GetInt32());
        Assert.Equal("Bo is 4", calls[1].Parameters.GetProperty("text").GetString());
        Assert.Equal("Ann", result.Steps["first"].Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ScatterGather_LlmInsideItems_TokensCountedOnce()
    {
        _llm.When("Digest", "ok", inputTokens: 4, outputTokens: 2);
        var result = await CreateSut().RunAsync(
            """
            {
              "input_schema": [ { "name": "topics", "type": "array" } ],
              "workflow_steps": [
                { "id": "gather", "type": "scatter_gather",
                  "scatter": { "input": "{{input.topics}}", "itemVariable": "topic",
                               "steps": [ { "id": "digest", "type": "ai_processing", "prompt": "Digest {{topic}}" } ] },
                  "gather": { "operation": "collect" } } ]
            }
            """,
            Topics);

        Assert.Equal(new ExecutionUsage(12, 6, 3) { Credits = 1 }, result.Usage);
        Assert.Equal(18, result.Steps["gather"].TokensUsed);
    }
}
