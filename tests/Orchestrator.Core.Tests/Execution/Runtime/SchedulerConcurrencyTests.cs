using System.Collections.Concurrent;
using System.Text;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Runtime;

/// <summary>
/// Many steps completing on thread-pool threads at once, over and over: a lost wake-up in the hand-over of
/// completions between threads would leave a run waiting forever, which the hang guard turns into a failure.
/// </summary>
public class SchedulerConcurrencyTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ExecuteAsync_ManyWideFansOfAsynchronousSteps_EveryRunCompletes()
    {
        const int width = 200;
        var json = new StringBuilder("""[ { "id": "start", "type": "action", "plugin": "p", "action": "a" }""");
        for (var i = 0; i < width; i++)
        {
            json.Append(System.Globalization.CultureInfo.InvariantCulture, $$""", { "id": "s{{i}}", "type": "action", "plugin": "p", "action": "a", "dependencies": ["start"] }""");
        }

        json.Append(""", { "id": "end", "type": "action", "plugin": "p", "action": "a", "dependencies": [""");
        json.Append(string.Join(",", Enumerable.Range(0, width).Select(i => $"\"s{i}\""))).Append("] } ]");
        var plugins = new ScriptedPluginExecutor().On("p.a", async (_, _) =>
        {
            await Task.Yield();
            return PluginResult.Ok(Json.Parse("{}"));
        });
        var orchestrator = new WorkflowOrchestratorBuilder(plugins, new ScriptedLlmClient()).UseOptions(new WorkflowOrchestratorOptions { MaxParallelism = 64 }).Build();
        var definition = Workflows.Load(json.ToString());

        for (var run = 0; run < 100; run++)
        {
            var result = await orchestrator.ExecuteAsync(definition, new WorkflowExecutionRequest { UserId = "u" }).AsTask().WaitAsync(s_hangGuard);

            Assert.Equal(ExecutionStatus.Succeeded, result.Status);
            Assert.Equal(width + 2, result.Steps.Count);
        }
    }

    /// <summary>
    /// Steps that complete at once and steps that await, mixed at random in layers: the coordinator then takes several
    /// ready steps at a time for one thread to start while other threads coordinate. No step's call may begin before the
    /// calls of every step it depends on have returned, and every step runs once.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_LayersOfStepsThatAwaitOrNot_NoCallBeginsBeforeTheCallsItDependsOnReturned()
    {
        const int layers = 6;
        const int width = 20;
        var random = new Random(20_261_203);
        var dependencies = new Dictionary<string, string[]>();
        var json = new StringBuilder("[");
        for (var layer = 0; layer < layers; layer++)
        {
            for (var i = 0; i < width; i++)
            {
                var id = $"l{layer}_{i}";
                dependencies[id] = layer == 0 ? [] : [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"l{layer - 1}_{random.Next(width)}").Distinct()];
                var needs = string.Join(",", dependencies[id].Select(d => $"\"{d}\""));
                json.Append(json.Length > 1 ? "," : "").Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{ "id": "{{id}}", "type": "action", "plugin": "p", "action": "a", "dependencies": [{{needs}}] }""");
            }
        }

        var definition = Workflows.Load(json.Append(']').ToString());
        var returned = new ConcurrentDictionary<string, bool>();
        var early = new ConcurrentQueue<string>();
        var awaitEvery = 1;
        var plugins = new ScriptedPluginExecutor().On("p.a", async (request, _) =>
        {
            foreach (var dependency in dependencies[request.StepId])
            {
                if (!returned.ContainsKey(dependency))
                {
                    early.Enqueue($"{request.StepId} began before {dependency} returned");
                }
            }

            if ((request.StepId.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)) & 0x7fff) % awaitEvery == 0)
            {
                await Task.Yield();
            }

            Assert.True(returned.TryAdd(request.StepId, true), $"{request.StepId} ran twice");
            return PluginResult.Ok(Json.Parse("{}"));
        });
        var orchestrator = new WorkflowOrchestratorBuilder(plugins, new ScriptedLlmClient()).Build();

        for (var run = 0; run < 60; run++)
        {
            awaitEvery = 1 + (run % 4); // Every step awaits, then one in two, three or four.
            returned.Clear();
            var result = await orchestrator.ExecuteAsync(definition, new WorkflowExecutionRequest { UserId = "u" }).AsTask().WaitAsync(s_hangGuard);

            Assert.Empty(early);
            Assert.Equal(ExecutionStatus.Succeeded, result.Status);
            Assert.Equal(layers * width, result.Steps.Values.Count(s => s.Status == StepStatus.Succeeded));
        }
    }
}
