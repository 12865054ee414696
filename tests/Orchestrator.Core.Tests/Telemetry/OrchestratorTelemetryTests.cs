using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Telemetry;
using Orchestrator.Core.Tests.Execution.Handlers;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Telemetry;

[Collection(TelemetryTests.Name)]
public sealed class OrchestratorTelemetryTests : IDisposable
{
    private readonly ScriptedPluginExecutor _plugins = new();
    private readonly ScriptedLlmClient _llm = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private readonly string _model = "model-" + Guid.NewGuid().ToString("N");
    private readonly string _executionId = "exec-" + Guid.NewGuid().ToString("N");

    public OrchestratorTelemetryTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OrchestratorTelemetryNames.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    private WorkflowOrchestrator CreateSut(ILoggerFactory? loggerFactory = null) =>
        new WorkflowOrchestratorBuilder(_plugins, _llm).UseLoggerFactory(loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).Build();

    private string Workflow(string crmAction = "get") =>
        $$$"""
        [
          { "id": "fetch", "type": "action", "plugin": "crm", "action": "{{{crmAction}}}", "params": {} },
          { "id": "classify", "type": "llm_decision", "prompt": "Classify {{fetch.data.name}}", "model": "{{{_model}}}", "options": ["a", "b"] }
        ]
        """;

    /// <summary>The spans of this test's run: the run span found by its execution id, and every span in its trace.</summary>
    private (Activity Run, List<Activity> Trace) SpansOfRun()
    {
        var run = Assert.Single(_stopped, a => a.OperationName == OrchestratorTelemetryNames.RunActivity
            && (string?)a.GetTagItem(OrchestratorTelemetryNames.ExecutionIdTag) == _executionId);
        return (run, [.. _stopped.Where(a => a.TraceId == run.TraceId && a != run)]);
    }

    [Fact]
    public async Task ExecuteAsync_Succeeds_RunSpanWithStepChildrenAndChatSpanWithGenAiAttributes()
    {
        _plugins.On("crm.get", """{ "name": "Ada" }""");
        _llm.When("Classify Ada", "a", inputTokens: 12, outputTokens: 3, model: _model + "-0613");

        var result = await CreateSut().RunAsync(Workflow(), executionId: _executionId);

        Assert.True(result.Status == ExecutionStatus.Succeeded, result.Error);
        var (run, trace) = SpansOfRun();
        Assert.Equal(ActivityStatusCode.Ok, run.Status);
        Assert.Equal("succeeded", run.GetTagItem(OrchestratorTelemetryNames.RunStatusTag));
        Assert.Null(run.GetTagItem("orchestrator.user.id"));

        var steps = trace.Where(a => a.OperationName == OrchestratorTelemetryNames.StepActivity).ToList();
        Assert.Equal(2, steps.Count);
        Assert.All(steps, s => Assert.Equal(run.SpanId, s.ParentSpanId));
        var fetch = Assert.Single(steps, s => (string?)s.GetTagItem(OrchestratorTelemetryNames.StepIdTag) == "fetch");
        Assert.Equal("orchestrator.step action", fetch.DisplayName);
        Assert.Equal("action", fetch.GetTagItem(OrchestratorTelemetryNames.StepTypeTag));
        Assert.Equal("succeeded", fetch.GetTagItem(OrchestratorTelemetryNames.StepOutcomeTag));
        Assert.Equal(1, fetch.GetTagItem(OrchestratorTelemetryNames.StepAttemptsTag));

        var classify = Assert.Single(steps, s => (string?)s.GetTagItem(OrchestratorTelemetryNames.StepIdTag) == "classify");
        var chat = Assert.Single(trace, a => a.OperationName == OrchestratorTelemetryNames.ChatActivity);
        Assert.Equal(classify.SpanId, chat.ParentSpanId);
        Assert.Equal(ActivityKind.Client, chat.Kind);
        Assert.Equal("chat " + _model, chat.DisplayName);
        Assert.Equal("chat", chat.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(_model, chat.GetTagItem("gen_ai.request.model"));
        Assert.Equal(_model + "-0613", chat.GetTagItem("gen_ai.response.model"));
        Assert.Equal(12, chat.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(3, chat.GetTagItem("gen_ai.usage.output_tokens"));
    }

    [Fact]
    public async Task ExecuteAsync_StepFails_StepAndRunSpansHaveErrorStatus()
    {
        _plugins.On("crm.get", _ => PluginResult.Fail("The CRM is down.", "CRM_DOWN"));

        var result = await CreateSut().RunAsync(Workflow(), executionId: _executionId);

        Assert.True(result.Status == ExecutionStatus.Failed, result.Error);
        var (run, trace) = SpansOfRun();
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal("failed", run.GetTagItem(OrchestratorTelemetryNames.RunStatusTag));
        var fetch = Assert.Single(trace, s => (string?)s.GetTagItem(OrchestratorTelemetryNames.StepIdTag) == "fetch");
        Assert.Equal(ActivityStatusCode.Error, fetch.Status);
        Assert.Equal("The CRM is down.", fetch.StatusDescription);
        Assert.Equal("CRM_DOWN", fetch.GetTagItem(OrchestratorTelemetryNames.ErrorTypeTag));
        Assert.Equal("failed", fetch.GetTagItem(OrchestratorTelemetryNames.StepOutcomeTag));
        Assert.DoesNotContain(trace, a => a.OperationName == OrchestratorTelemetryNames.ChatActivity);
    }

    [Fact]
    public async Task ExecuteAsync_WithMeterListener_CountsRunStepsDurationAndTokens()
    {
        _plugins.On("crm.get", """{ "name": "Ada" }""");
        _llm.When("Classify Ada", "b", inputTokens: 20, outputTokens: 4);
        var longs = new ConcurrentQueue<(string Name, long Value, Dictionary<string, object?> Tags)>();
        var doubles = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OrchestratorTelemetryNames.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => longs.Enqueue((instrument.Name, value, ToDictionary(tags))));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => doubles.Enqueue((instrument.Name, value, ToDictionary(tags))));
        meters.Start();

        var result = await CreateSut().RunAsync(Workflow(), executionId: _executionId);

        Assert.True(result.Status == ExecutionStatus.Succeeded, result.Error);
        Assert.Contains(longs, m => m.Name == OrchestratorTelemetryNames.RunsCounter && m.Value == 1 && (string?)m.Tags[OrchestratorTelemetryNames.RunStatusTag] == "succeeded");
        var steps = longs.Where(m => m.Name == OrchestratorTelemetryNames.StepsCounter).ToList();
        Assert.Equal(2, steps.Count);
        Assert.Contains(steps, m => (string?)m.Tags[OrchestratorTelemetryNames.StepTypeTag] == "action" && (string?)m.Tags[OrchestratorTelemetryNames.StepOutcomeTag] == "succeeded");
        Assert.Contains(steps, m => (string?)m.Tags[OrchestratorTelemetryNames.StepTypeTag] == "llm_decision" && (string?)m.Tags[OrchestratorTelemetryNames.StepOutcomeTag] == "succeeded");
        var durations = doubles.Where(m => m.Name == OrchestratorTelemetryNames.StepDurationHistogram).ToList();
        Assert.Equal(2, durations.Count);
        Assert.All(durations, d => Assert.True(d.Value >= 0));
        Assert.All(durations, d => Assert.Equal("succeeded", d.Tags[OrchestratorTelemetryNames.StepOutcomeTag]));

        var tokens = longs.Where(m => m.Name == OrchestratorTelemetryNames.LlmTokensCounter && (string?)m.Tags[OrchestratorTelemetryNames.RequestModelTag] == _model).ToList();
        Assert.Equal(20, Assert.Single(tokens, t => (string?)t.Tags[OrchestratorTelemetryNames.TokenTypeTag] == "input").Value);
        Assert.Equal(4, Assert.Single(tokens, t => (string?)t.Tags[OrchestratorTelemetryNames.TokenTypeTag] == "output").Value);
    }

    [Fact]
    public async Task ExecuteAsync_WithLoggerFactory_LogsRunFinishedAndStepFailedWithStructuredFields()
    {
        _plugins.On("crm.get", _ => PluginResult.Fail("The CRM is down for Ada.", "CRM_DOWN"));
        var provider = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(provider));

        var result = await CreateSut(factory).RunAsync(Workflow(), executionId: _executionId);

        Assert.True(result.Status == ExecutionStatus.Failed, result.Error);
        var finished = Assert.Single(provider.Entries, e => e.EventName == "RunFinished");
        Assert.Equal(LogLevel.Information, finished.Level);
        Assert.Equal(typeof(WorkflowOrchestrator).FullName, finished.Category);
        Assert.Equal(_executionId, finished.Fields["ExecutionId"]);
        Assert.Equal(ExecutionStatus.Failed, finished.Fields["Status"]);
        Assert.Equal("CRM_DOWN", finished.Fields["ErrorCode"]);
        Assert.IsType<double>(finished.Fields["DurationMs"]);

        var failed = Assert.Single(provider.Entries, e => e.EventName == "StepFailed");
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Equal("fetch", failed.Fields["StepId"]);
        Assert.Equal("action", failed.Fields["StepType"]);
        Assert.Equal("CRM_DOWN", failed.Fields["ErrorCode"]);
        Assert.DoesNotContain(provider.Entries, e => e.Message.Contains("Ada", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_StepRetried_OneStepSpanWithItsAttemptsAndARetryLogEvent()
    {
        var calls = 0;
        _plugins.On("crm.get", _ => Interlocked.Increment(ref calls) == 1
            ? PluginResult.Fail("Busy.", "BUSY", retryable: true)
            : PluginResult.Ok(Json.Parse("""{ "name": "Ada" }""")));
        _llm.When("Classify Ada", "a");
        var provider = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(provider));
        var workflow = Workflow().Replace("\"params\": {}", "\"params\": {}, \"retryPolicy\": { \"maxRetries\": 2, \"backoffMs\": 0 }", StringComparison.Ordinal);

        var result = await CreateSut(factory).RunAsync(workflow, executionId: _executionId);

        Assert.True(result.Status == ExecutionStatus.Succeeded, result.Error);
        var (_, trace) = SpansOfRun();
        var fetch = Assert.Single(trace, s => (string?)s.GetTagItem(OrchestratorTelemetryNames.StepIdTag) == "fetch");
        Assert.Equal(2, fetch.GetTagItem(OrchestratorTelemetryNames.StepAttemptsTag));
        Assert.Equal("succeeded", fetch.GetTagItem(OrchestratorTelemetryNames.StepOutcomeTag));
        Assert.NotEqual(ActivityStatusCode.Error, fetch.Status);
        var retried = Assert.Single(provider.Entries, e => e.EventName == "StepRetried");
        Assert.Equal("fetch", retried.Fields["StepId"]);
        Assert.Equal(1, retried.Fields["Attempt"]); // the attempt that failed
    }

    [Fact]
    public async Task ExecuteAsync_LoopWithInnerLlmStep_InnerSpansAreChildrenOfTheLoopSpan()
    {
        _llm.When("Describe", "done", inputTokens: 3, outputTokens: 1);
        var workflow = $$$"""
            {
              "input_schema": [ { "name": "xs", "type": "array" } ],
              "workflow_steps": [ { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}",
                "loopSteps": [ { "id": "describe", "type": "ai_processing", "prompt": "Describe {{current}}", "model": "{{{_model}}}" } ] } ]
            }
            """;

        var result = await CreateSut().RunAsync(workflow, """{ "xs": [1, 2] }""", executionId: _executionId);

        Assert.True(result.Status == ExecutionStatus.Succeeded, result.Error);
        var (run, trace) = SpansOfRun();
        var loop = Assert.Single(trace, s => (string?)s.GetTagItem(OrchestratorTelemetryNames.StepIdTag) == "each");
        Assert.Equal(run.SpanId, loop.ParentSpanId);
        var inner = trace.Where(s => (string?)s.GetTagItem(OrchestratorTelemetryNames.StepIdTag) == "describe").ToList();
        Assert.Equal(2, inner.Count);
        Assert.All(inner, s => Assert.Equal(loop.SpanId, s.ParentSpanId));
        var chats = trace.Where(a => a.OperationName == OrchestratorTelemetryNames.ChatActivity).ToList();
        Assert.Equal(2, chats.Count);
        Assert.All(chats, c => Assert.Contains(inner, s => s.SpanId == c.ParentSpanId));
    }

    [Fact]
    public async Task ExecuteAsync_PricedModel_CostCountedByModel()
    {
        _plugins.On("crm.get", """{ "name": "Ada" }""");
        _llm.When("Classify Ada", "a", inputTokens: 1_000, outputTokens: 500, model: _model);
        var costs = new ConcurrentQueue<(double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OrchestratorTelemetryNames.MeterName && instrument.Name == OrchestratorTelemetryNames.LlmCostCounter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, value, tags, _) => costs.Enqueue((value, ToDictionary(tags))));
        meters.Start();
        var options = new WorkflowOrchestratorOptions();
        options.Pricing[_model] = new Orchestrator.Core.Usage.ModelPrice(2m, 10m);

        var result = await new WorkflowOrchestratorBuilder(_plugins, _llm).UseOptions(options).Build().RunAsync(Workflow(), executionId: _executionId);

        Assert.True(result.Status == ExecutionStatus.Succeeded, result.Error);
        Assert.Equal(0.007m, result.Usage.Cost); // 1,000 x 2 / 1M + 500 x 10 / 1M
        var cost = Assert.Single(costs, c => (string?)c.Tags[OrchestratorTelemetryNames.RequestModelTag] == _model);
        Assert.Equal(0.007, cost.Value, 9);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }
}
