using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution;

/// <summary>
/// Property tests (CsCheck) of <c>WorkflowOrchestrator.ExecuteAsync(plan, ...)</c>
/// over random valid DAGs of action and LLM steps, with a host that behaves badly at random: a call fails, throws,
/// hangs until it is cancelled (and the host then cancels the run), returns a huge or a deeply nested reply, or
/// cancels the run in the middle of a call. Whatever it does: no exception escapes, the run ends, the status is honest
/// and every call the run started has ended (a hanging call ends only by observing its cancellation). No clocks: the
/// only wait is a guard that turns a run that never ends into a failure instead of a stuck test run.
/// </summary>
public sealed class ExecuteAsyncPropertyTests
{
    /// <summary>Iterations per property: each is a full run, most of them a few milliseconds.</summary>
    private const int Iterations = 150;

    /// <summary>How deep the nested replies go (the reader's default limit is 64; the writer's 1000).</summary>
    private static readonly Gen<int> s_depth = Gen.OneOf(1, 8, 32, 60, 62, 63, 64, 65, 100, 300);

    private static readonly Gen<Behaviour> s_behaviour = Gen.Int[0, 15].Select(i => i switch
    {
        < 6 => Behaviour.Ok,
        6 or 7 => Behaviour.Fail,
        8 or 9 => Behaviour.Throw,
        10 => Behaviour.HangUntilCancelled,
        11 => Behaviour.CancelRunMidCall,
        12 or 13 => Behaviour.Huge,
        _ => Behaviour.Deep,
    });

    private static Gen<Scenario> Scenarios(Gen<int> depth) =>
        Gen.Select(Gen.Bool, Gen.Int[0, 255], s_behaviour, Gen.Int[0, 3], depth, (llm, mask, behaviour, tolerant, d) => new StepSpec(llm, mask, behaviour, tolerant == 0, d))
            .Array[1, 8]
            .Select(steps => new Scenario(steps));

    [Fact]
    public async Task ExecuteAsync_RandomDagAndHostileHost_NeverThrowsEndsHonestlyAndEveryStartedCallEnds() =>
        await Scenarios(s_depth).SampleAsync(CheckAsync, iter: Iterations, threads: 1, print: s => s.ToString());

    /// <summary>
    /// BUG FOUND by the property above (issue 12; the area of the h-limits branch): a plugin or LLM reply nested 62
    /// levels or more made ExecuteAsync throw a JsonReaderException from JsonValues.Write (via OutputBuilder.Build), which
    /// re-read what it wrote at the reader's default depth of 64. Pinned here on its own; the minimal fix (read back at
    /// the writer's depth) is a separate commit, and the depth limit itself belongs to ExecutionLimits.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_RepliesNested62To300Levels_NeverThrowsEndsHonestlyAndEveryStartedCallEnds() =>
        await Scenarios(Gen.OneOf(62, 63, 64, 100, 300)).SampleAsync(CheckAsync, iter: 30, threads: 1, print: s => s.ToString());

    [Fact]
    public async Task Generator_ProducesEveryHostBehaviourAndDependencies()
    {
        // Guards the properties above against a generator that would only ever make easy runs.
        var seen = new HashSet<Behaviour>();
        var withDependencies = 0;
        await Scenarios(s_depth).SampleAsync(
            s =>
            {
                lock (seen)
                {
                    seen.UnionWith(s.Steps.Select(x => x.Behaviour));
                    withDependencies += s.Steps.Where((x, i) => x.Dependencies(i).Count > 0).Any() ? 1 : 0;
                }

                return Task.CompletedTask;
            },
            iter: Iterations,
            threads: 1);

        Assert.Equal(Enum.GetValues<Behaviour>().Length, seen.Count);
        Assert.True(withDependencies > Iterations / 2, $"only {withDependencies} scenarios had a dependency");
    }

    private static async Task CheckAsync(Scenario scenario)
    {
        using var run = new CancellationTokenSource();
        var host = new HostileHost(scenario, run);
        var orchestrator = new WorkflowOrchestratorBuilder(host, host).Build();
        var plan = Workflows.PlanOrFail(scenario.ToJson());

        WorkflowExecutionResult? result = null;
        var escaped = await Record.ExceptionAsync(async () =>
            result = await orchestrator.ExecuteAsync(plan, new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "run-1" }, run.Token)
                .AsTask()
                .WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System));

        // The run ends, with a result and no exception.
        Assert.False(escaped is TimeoutException, $"the run did not end: {scenario}");
        Assert.True(escaped is null, $"{escaped?.GetType().Name} escaped ExecuteAsync: {escaped?.Message}\n{escaped?.StackTrace}");
        Assert.NotNull(result);

        // Every call the run started has ended by the time the run returns: a hanging call ends only by observing the
        // cancellation of its token.
        Assert.Equal(host.Started, host.Ended);
        Assert.All(host.Hung, stepId => Assert.Contains(stepId, host.ObservedCancellation));

        // The status is honest.
        var steps = result.Steps;
        Assert.Equal(scenario.Steps.Length, steps.Count);
        if (result.Status == ExecutionStatus.Succeeded)
        {
            Assert.All(steps.Values, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        }

        if (steps.Values.All(s => s.Status == StepStatus.Succeeded) && !run.IsCancellationRequested)
        {
            Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        }

        if (result.Status == ExecutionStatus.PartiallySucceeded)
        {
            Assert.Contains(steps.Values, s => s.Status != StepStatus.Succeeded);
        }

        // A step whose call failed, threw or hung did not succeed; a step the host answered normally did not fail
        // (unless the run was cancelled under it).
        foreach (var (stepId, behaviour) in host.Answered)
        {
            var status = steps[stepId].Status;
            if (behaviour is Behaviour.Fail or Behaviour.Throw or Behaviour.HangUntilCancelled)
            {
                Assert.NotEqual(StepStatus.Succeeded, status);
            }
            else if (!run.IsCancellationRequested)
            {
                // A huge or deep reply may also be refused by a host limit (issue 12's ExecutionLimits): named, not thrown.
                Assert.True(
                    status == StepStatus.Succeeded || (behaviour is Behaviour.Huge or Behaviour.Deep && steps[stepId].ErrorCode == "LIMIT_EXCEEDED"),
                    $"step {stepId} ({behaviour}) ended {status}: {steps[stepId].ErrorCode} {steps[stepId].Error}");
            }
        }

    }

    internal enum Behaviour
    {
        Ok,
        Fail,
        Throw,
        HangUntilCancelled,
        CancelRunMidCall,
        Huge,
        Deep,
    }

    internal sealed record StepSpec(bool IsLlm, int DependencyMask, Behaviour Behaviour, bool ContinueOnError, int Depth)
    {
        /// <summary>The earlier steps (lower indices) this one depends on: the graph is acyclic by construction.</summary>
        public List<int> Dependencies(int index) => [.. Enumerable.Range(0, index).Where(i => (DependencyMask & (1 << i)) != 0)];
    }

    internal sealed record Scenario(StepSpec[] Steps)
    {
        public string ToJson()
        {
            var json = new StringBuilder("[");
            for (var i = 0; i < Steps.Length; i++)
            {
                var step = Steps[i];
                var dependencies = string.Join(", ", step.Dependencies(i).Select(d => $"\"s{d}\""));
                json.Append(i == 0 ? string.Empty : ", ")
                    .Append(CultureInfo.InvariantCulture, $$"""{ "id": "s{{i}}", """)
                    .Append(step.IsLlm ? $$"""  "type": "ai_processing", "prompt": "s{{i}}", """ : $$"""  "type": "action", "plugin": "p", "action": "s{{i}}", """)
                    .Append(step.ContinueOnError ? "\"continueOnError\": true, " : string.Empty)
                    .Append(CultureInfo.InvariantCulture, $"\"dependencies\": [{dependencies}] }}");
            }

            return json.Append(']').ToString();
        }

        public override string ToString() =>
            string.Join("; ", Steps.Select((s, i) => $"s{i}:{(s.IsLlm ? "llm" : "action")}:{s.Behaviour}{(s.Behaviour == Behaviour.Deep ? "@" + s.Depth.ToString(CultureInfo.InvariantCulture) : string.Empty)}{(s.ContinueOnError ? ":tolerant" : string.Empty)}<-[{string.Join(",", s.Dependencies(i))}]"));
    }

    /// <summary>A plugin executor and LLM client that does, for each step, what the scenario says.</summary>
    private sealed class HostileHost(Scenario scenario, CancellationTokenSource run) : IPluginExecutor, ILlmClient
    {
        private static readonly string s_huge = new('x', 512 * 1024);
        private static readonly JsonDocumentOptions s_deepDocuments = new() { MaxDepth = 1000 };
        private int _started;
        private int _ended;

        public int Started => Volatile.Read(ref _started);

        public int Ended => Volatile.Read(ref _ended);

        public ConcurrentBag<string> Hung { get; } = [];

        public ConcurrentBag<string> ObservedCancellation { get; } = [];

        public ConcurrentDictionary<string, Behaviour> Answered { get; } = new(StringComparer.Ordinal);

        public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
        {
            var reply = await ActAsync(request.StepId, cancellationToken);
            return reply is null ? PluginResult.Fail("the host said no", "HOST_REFUSED") : PluginResult.Ok(JsonDocument.Parse(reply, s_deepDocuments).RootElement.Clone());
        }

        public async ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default)
        {
            var reply = await ActAsync(request.StepId, cancellationToken);
            return reply is null ? throw new InvalidOperationException("The model refused.") : new LlmResponse { Text = reply, InputTokens = 3, OutputTokens = 2 };
        }

        /// <summary>The reply's JSON text, or null for a refusal; throws or hangs when the scenario says so.</summary>
        private async ValueTask<string?> ActAsync(string stepId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            var spec = scenario.Steps[int.Parse(stepId.AsSpan(1), CultureInfo.InvariantCulture)];
            try
            {
                switch (spec.Behaviour)
                {
                    case Behaviour.Fail:
                        Answered[stepId] = spec.Behaviour;
                        return null;
                    case Behaviour.Throw:
                        Answered[stepId] = spec.Behaviour;
                        throw new InvalidOperationException("The host failed.");
                    case Behaviour.HangUntilCancelled:
                        Answered[stepId] = spec.Behaviour;
                        Hung.Add(stepId);

                        // The host gives up on the stuck run: it cancels it, and the call waits for its token. The run may
                        // have ended (and the test disposed its source) before the cancel runs: nothing left to cancel then.
                        _ = Task.Run(
                            () =>
                            {
                                try
                                {
                                    run.Cancel();
                                }
                                catch (ObjectDisposedException)
                                {
                                }
                            },
                            CancellationToken.None);
                        try
                        {
                            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            // Recorded as the call ends (a token callback could be unregistered before it ran, when the
                            // delay's continuation ran inline on the cancelling thread).
                            ObservedCancellation.Add(stepId);
                            throw;
                        }

                        return """{ "never": true }""";
                    case Behaviour.CancelRunMidCall:
                        await run.CancelAsync();
                        Answered[stepId] = spec.Behaviour;
                        return """{ "v": 1 }""";
                    case Behaviour.Huge:
                        Answered[stepId] = spec.Behaviour;
                        return $$"""{ "text": "{{s_huge}}" }""";
                    case Behaviour.Deep:
                        Answered[stepId] = spec.Behaviour;
                        return """{ "deep": """ + new string('[', spec.Depth) + new string(']', spec.Depth) + " }";
                    default:
                        Answered[stepId] = spec.Behaviour;
                        return """{ "v": 1 }""";
                }
            }
            finally
            {
                Interlocked.Increment(ref _ended);
            }
        }
    }
}
