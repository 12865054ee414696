using System.Text;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.Execution.Handlers;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

/// <summary>The run-time bounds of <see cref="ExecutionLimits"/>: work, calls, concurrency, items, output sizes, delays.</summary>
[Collection(WallClockTests.Name)]
public class ExecutionLimitsTests
{
    private readonly ScriptedPluginExecutor _plugins = new();
    private readonly ScriptedLlmClient _llm = new();
    private readonly WorkflowOrchestratorOptions _options = new();

    private WorkflowOrchestrator CreateSut() => new WorkflowOrchestratorBuilder(_plugins, _llm).UseOptions(_options).Build();

    /// <summary><paramref name="levels"/> loops nested in each other, each over the input's three items, with one plugin call innermost.</summary>
    private static string NestedLoops(int levels, string innermost = """{ "id": "call", "type": "action", "plugin": "t", "action": "x" }""")
    {
        var json = innermost;
        for (var i = levels; i >= 1; i--)
        {
            json = $$$"""{ "id": "l{{{i}}}", "type": "loop", "iterateOver": "{{input.xs}}", "loopSteps": [ {{{json}}} ] }""";
        }

        return $$"""{ "input_schema": [ { "name": "xs", "type": "any" } ], "workflow_steps": [ {{json}} ] }""";
    }

    private const string ThreeItems = """{ "xs": [ 1, 2, 3 ] }""";

    [Fact]
    public async Task ExecuteAsync_21NestedLoopsOverThreeItems_StopsAtMaxCallsPerRunWithLimitExceeded()
    {
        _options.Limits.MaxCallsPerRun = 50;
        _plugins.On("t.x", "{}");

        var result = await CreateSut().RunAsync(NestedLoops(21), ThreeItems);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(ExecutionLimits.LimitExceededErrorCode, result.ErrorCode);
        Assert.Equal(50, _plugins.Calls.Count);
    }

    [Fact]
    public async Task ExecuteAsync_NestedScattersWithoutCalls_StopAtMaxStepsPerRun()
    {
        _options.Limits.MaxStepsPerRun = 200;
        var json = """{ "id": "t", "type": "transform", "operation": "map", "input": [1], "config": { "mapping": "{{item}}" } }""";
        for (var i = 12; i >= 1; i--)
        {
            json = $$$"""{ "id": "s{{{i}}}", "type": "scatter_gather", "scatter": { "input": "{{input.xs}}", "steps": [ {{{json}}} ] } }""";
        }

        var result = await CreateSut().RunAsync($$"""{ "input_schema": [ { "name": "xs", "type": "any" } ], "workflow_steps": [ {{json}} ] }""", ThreeItems);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(ExecutionLimits.LimitExceededErrorCode, result.Steps["s1"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_LoopOverMoreItemsThanMaxItemsPerContainer_FailsTheLoopWithLimitExceeded()
    {
        _options.Limits.MaxItemsPerContainer = 2;
        _plugins.On("t.x", "{}");

        var result = await CreateSut().RunAsync(NestedLoops(1), ThreeItems);

        Assert.Equal(ExecutionLimits.LimitExceededErrorCode, result.Steps["l1"].ErrorCode);
        Assert.Empty(_plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_LoopMaxConcurrencyOverMaxParallelism_RunsNoMoreThanMaxParallelismAtOnce()
    {
        _options.MaxParallelism = 2;
        var (started, release) = BlockCalls();
        var json = """
            { "input_schema": [ { "name": "xs", "type": "any" } ], "workflow_steps": [
              { "id": "each", "type": "loop", "iterateOver": "{{input.xs}}", "parallel": true, "maxConcurrency": 2000,
                "loopSteps": [ { "id": "call", "type": "action", "plugin": "t", "action": "x" } ] } ] }
            """;

        var run = CreateSut().RunAsync(json, """{ "xs": [ 1, 2, 3, 4 ] }""").AsTask();

        Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        Assert.False(await started.WaitAsync(TimeSpan.Zero));
        release.SetResult();
        Assert.Equal(ExecutionStatus.Succeeded, (await run.WaitAsync(HandlerRuns.Guard)).Status);
        Assert.Equal(4, _plugins.Calls.Count);
    }

    [Fact]
    public async Task ExecuteAsync_NestedParallelContainers_ShareTheRunsCallConcurrency()
    {
        _options.Limits.MaxConcurrentCallsPerRun = 2;
        var (started, release) = BlockCalls();
        var loop = """{ "id": "ID", "type": "loop", "iterateOver": "{{input.xs}}", "parallel": true, "loopSteps": [ { "id": "call", "type": "action", "plugin": "t", "action": "x" } ] }""";
        var json = $$"""
            { "input_schema": [ { "name": "xs", "type": "any" } ], "workflow_steps": [
              { "id": "both", "type": "parallel_group", "steps": [ {{loop.Replace("ID", "a", StringComparison.Ordinal)}}, {{loop.Replace("ID", "b", StringComparison.Ordinal)}} ] } ] }
            """;

        var run = CreateSut().RunAsync(json, """{ "xs": [ 1, 2 ] }""").AsTask();

        Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        Assert.True(await started.WaitAsync(HandlerRuns.Guard));
        Assert.False(await started.WaitAsync(TimeSpan.Zero));
        release.SetResult();
        Assert.Equal(ExecutionStatus.Succeeded, (await run.WaitAsync(HandlerRuns.Guard)).Status);
        Assert.Equal(4, _plugins.Calls.Count);
    }

    [Fact]
    public async Task ExecuteAsync_PluginOutputOverMaxStepOutputBytes_FailsTheStepWithLimitExceeded()
    {
        _options.Limits.MaxStepOutputBytes = 100;
        _plugins.On("t.x", $$"""{ "text": "{{new string('a', 200)}}" }""");

        var result = await CreateSut().RunAsync("""{ "workflow_steps": [ { "id": "call", "type": "action", "plugin": "t", "action": "x" } ] }""");

        Assert.Equal(ExecutionLimits.LimitExceededErrorCode, result.Steps["call"].ErrorCode);
        Assert.Contains(nameof(ExecutionLimits.MaxStepOutputBytes), result.Steps["call"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_OutputsAddingUpOverMaxRunOutputBytes_FailTheStepThatCrossesIt()
    {
        _options.Limits.MaxStepOutputBytes = 100;
        _options.Limits.MaxRunOutputBytes = 150;
        _plugins.On("t.x", $$"""{ "text": "{{new string('a', 80)}}" }""");

        var result = await CreateSut().RunAsync("""
            { "workflow_steps": [ { "id": "one", "type": "action", "plugin": "t", "action": "x" },
                                  { "id": "two", "type": "action", "plugin": "t", "action": "x", "dependencies": [ "one" ] } ] }
            """);

        Assert.Equal(StepStatus.Succeeded, result.Steps["one"].Status);
        Assert.Equal(ExecutionLimits.LimitExceededErrorCode, result.Steps["two"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_DelayOverTheHostsMaxDelay_FailsWithLimitExceededInsteadOfWaiting()
    {
        _options.Limits.MaxDelay = TimeSpan.FromHours(1);

        var result = await CreateSut().RunAsync("""{ "workflow_steps": [ { "id": "wait", "type": "delay", "duration": 7200000 } ] }""");

        Assert.Equal(ExecutionLimits.LimitExceededErrorCode, result.Steps["wait"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_ApprovalWindowOfThreeDays_SuspendsInsteadOfFailingOnTheTimeoutRange()
    {
        var threeDays = (long)TimeSpan.FromDays(3).TotalMilliseconds;

        var result = await CreateSut().RunAsync($$"""{ "workflow_steps": [ { "id": "ok", "type": "human_approval", "approvers": [ "ann" ], "timeout": {{threeDays}} } ] }""");

        Assert.Equal(ExecutionStatus.Suspended, result.Status);
    }

    [Theory]
    [InlineData(nameof(ExecutionLimits.MaxItemsPerContainer))]
    [InlineData(nameof(ExecutionLimits.MaxStepsPerRun))]
    [InlineData(nameof(ExecutionLimits.MaxCallsPerRun))]
    [InlineData(nameof(ExecutionLimits.MaxConcurrentCallsPerRun))]
    [InlineData(nameof(ExecutionLimits.MaxStepOutputBytes))]
    [InlineData(nameof(ExecutionLimits.MaxDelay))]
    public void Validate_LimitOfZero_NamesTheLimit(string limit)
    {
        var options = new WorkflowOrchestratorOptions();
        switch (limit)
        {
            case nameof(ExecutionLimits.MaxItemsPerContainer): options.Limits.MaxItemsPerContainer = 0; break;
            case nameof(ExecutionLimits.MaxStepsPerRun): options.Limits.MaxStepsPerRun = 0; break;
            case nameof(ExecutionLimits.MaxCallsPerRun): options.Limits.MaxCallsPerRun = 0; break;
            case nameof(ExecutionLimits.MaxConcurrentCallsPerRun): options.Limits.MaxConcurrentCallsPerRun = 0; break;
            case nameof(ExecutionLimits.MaxStepOutputBytes): options.Limits.MaxStepOutputBytes = 0; break;
            default: options.Limits.MaxDelay = TimeSpan.Zero; break;
        }

        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Limits." + limit, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaxDelayOverTheTimerCeiling_IsRefused()
    {
        var options = new WorkflowOrchestratorOptions();
        options.Limits.MaxDelay = ExecutionLimits.DelayCeiling + TimeSpan.FromDays(1);

        Assert.Throws<ArgumentException>(options.Validate);
    }

    /// <summary>Every call to t.x signals <c>started</c> and waits for <c>release</c>.</summary>
    private (SemaphoreSlim Started, TaskCompletionSource Release) BlockCalls()
    {
        var started = new SemaphoreSlim(0);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _plugins.On("t.x", async (_, _) =>
        {
            started.Release();
            await release.Task;
            return PluginResult.Ok(Json.Parse("{}"));
        });
        return (started, release);
    }

    /// <summary>A filter whose every item runs a pattern the non-backtracking engine can only run as an NFA (its DFA would explode) over a long text.</summary>
    private static string HeavyRegexFilter(string timeout = "") => $$$"""
        { "input_schema": [ { "name": "xs", "type": "any" } ], "workflow_steps": [
          { "id": "f", "type": "transform", "operation": "filter", "input": "{{input.xs}}"{{{timeout}}},
            "config": { "condition": { "field": "item", "operator": "matches", "value": "[ab]*a[ab]{24}c" } } } ] }
        """;

    private static string ItemsOfAbText(int items, int length)
    {
        var random = new Random(12);
        var text = string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = r.Next(2) == 0 ? 'a' : 'b';
            }
        });
        return System.Text.Json.JsonSerializer.Serialize(new { xs = Enumerable.Repeat(text, items) });
    }

    [Fact]
    public async Task ExecuteAsync_RegexMatchOverRegexMatchTimeout_FailsTheStepWithLimitExceeded()
    {
        _options.Limits.RegexMatchTimeout = TimeSpan.FromMilliseconds(1);

        var result = await CreateSut().RunAsync(HeavyRegexFilter(), ItemsOfAbText(items: 1, length: 2_000_000));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(ExecutionLimits.LimitExceededErrorCode, result.Steps["f"].ErrorCode);
        Assert.Contains(nameof(ExecutionLimits.RegexMatchTimeout), result.Steps["f"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_FilterOfManyHeavyMatchesPastTheStepTimeout_EndsTheStepWithTimeoutBetweenItems()
    {
        // Each match stays under RegexMatchTimeout; only checking the step's token between items ends the step.
        var result = await CreateSut().RunAsync(HeavyRegexFilter(""", "timeout": 50 """), ItemsOfAbText(items: 20_000, length: 2_000));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("TIMEOUT", result.Steps["f"].ErrorCode);
    }

    [Fact]
    public async Task ExecuteAsync_MatchingPatternWithinTheTimeout_Succeeds()
    {
        var matching = "b" + new string('a', 25) + "c";

        var result = await CreateSut().RunAsync(HeavyRegexFilter(), $$"""{ "xs": [ "ab", "{{matching}}" ] }""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal($"[\"{matching}\"]", result.Steps["f"].Data.GetRawText());
    }

    [Fact]
    public void Validate_RegexMatchTimeoutZero_IsAProblem()
    {
        _options.Limits.RegexMatchTimeout = TimeSpan.Zero;
        var problems = new List<string>();

        _options.Limits.FindProblems(problems);

        Assert.Contains(problems, p => p.Contains("Limits.RegexMatchTimeout", StringComparison.Ordinal));
    }
}
