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
}
