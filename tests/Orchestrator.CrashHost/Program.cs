// The crash test's child process.
//   run    <db> <log> <executionId>   starts the workflow
//   resume <db> <log> <executionId>   resumes it from the SQLite checkpoint
// Every completed plugin call appends "<stepId>" to <log> before it returns. With CRASH_AFTER=n in the environment,
// the process kills itself (SIGKILL, no clean-up) right after its n-th completed call. With HOLD_AFTER=n, every call
// after the n-th completed one waits until it is cancelled (it is not logged), so the run cannot finish before a kill
// from outside, whenever that kill lands (the test kills it once it sees n lines). When the run ends, the process
// prints one JSON line: the status and every step's data, for the test to compare with an uninterrupted run.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;
using Orchestrator.Stores.Sqlite;

if (args.Length != 4 || args[0] is not ("run" or "resume"))
{
    Console.Error.WriteLine("usage: run|resume <db> <log> <executionId>");
    return 2;
}

var (mode, db, log, executionId) = (args[0], args[1], args[2], args[3]);
var crashAfter = int.TryParse(Environment.GetEnvironmentVariable("CRASH_AFTER"), CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
var holdAfter = int.TryParse(Environment.GetEnvironmentVariable("HOLD_AFTER"), CultureInfo.InvariantCulture, out var h) ? h : int.MaxValue;
using var store = SqliteCheckpointStore.ForFile(db);
await WarmUpAsync(store); // A host that has run before: its store's write path is ready, as in a long-running host.
var orchestrator = new WorkflowOrchestratorBuilder(new MixingPlugin(log, crashAfter, holdAfter), new NoLlm()).AddCheckpointStore(store).Build();

var result = mode == "run"
    ? await orchestrator.ExecuteAsync(CrashWorkflow.Load(), new WorkflowExecutionRequest { UserId = "u1", ExecutionId = executionId, Inputs = JsonDocument.Parse("""{ "seed": 7 }""").RootElement })
    : await orchestrator.ResumeAsync(executionId);

var output = new SortedDictionary<string, JsonElement>(result.Steps.ToDictionary(s => s.Key, s => s.Value.Data), StringComparer.Ordinal);
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?> { ["status"] = result.Status.ToString(), ["error"] = result.Error, ["steps"] = output }));
return 0;

// Writes a throw-away run through every write the orchestrator makes, so the first checkpoint of the real run does not
// wait for the JIT (a cold write path would make the early kill points find nothing saved).
static async Task WarmUpAsync(SqliteCheckpointStore store)
{
    var id = "warm-up-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
    await store.CreateRunAsync(new RunCheckpoint
    {
        ExecutionId = id,
        DefinitionJson = "{}",
        DefinitionHash = Orchestrator.Core.Durability.DefinitionHash.Compute("{}"),
        Inputs = JsonDocument.Parse("{}").RootElement,
        UserId = "warm-up",
        CreatedAt = DateTimeOffset.UnixEpoch,
    });
    await store.AppendStepsAsync(id, [new StepCheckpoint { StepId = "warm-up", Status = StepStatus.Succeeded, Data = JsonDocument.Parse("{}").RootElement }]);
    await store.SetStatusAsync(id, CheckpointStatus.Finished, ExecutionStatus.Succeeded, DateTimeOffset.UnixEpoch);
    _ = await store.LoadAsync(id);
}

/// <summary>The workflow: 8 layers of 8 action steps (64), each reading two steps of the layer before, so the run is a mix of chains and parallel fans.</summary>
internal static class CrashWorkflow
{
    public const int Layers = 8;
    public const int Width = 8;

    public static Orchestrator.Core.Model.WorkflowDefinition Load()
    {
        var steps = new List<string>();
        for (var layer = 0; layer < Layers; layer++)
        {
            for (var k = 0; k < Width; k++)
            {
                var parameters = layer == 0
                    ? $$$"""{ "left": "{{input.seed}}", "right": {{{k}}} }"""
                    : $$$"""{ "left": "{{s{{{layer - 1}}}_{{{k}}}.data.v}}", "right": "{{s{{{layer - 1}}}_{{{(k + 1) % Width}}}.data.v}}" }""";
                steps.Add($$$"""{ "id": "s{{{layer}}}_{{{k}}}", "type": "action", "plugin": "calc", "action": "mix", "params": {{{parameters}}} }""");
            }
        }

        var loaded = WorkflowJson.Load("{ \"id\": \"crash\", \"workflow_steps\": [" + string.Join(",", steps) + "] }");
        return loaded.Definition ?? throw new InvalidOperationException(string.Join("; ", loaded.Diagnostics));
    }
}

/// <summary>
/// A deterministic plugin: v = f(left, right, step); logs each completed call, and kills the process after the n-th
/// (crashAfter), or holds every call after the n-th until cancelled (holdAfter).
/// </summary>
internal sealed class MixingPlugin(string log, int crashAfter, int holdAfter) : IPluginExecutor
{
    private readonly Lock _lock = new();
    private int _completed;
    private int _admitted;

    public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        // A little real work time, so parallel steps overlap and checkpoint batches vary.
        await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, cancellationToken);
        var left = Number(request.Parameters.GetProperty("left"));
        var right = Number(request.Parameters.GetProperty("right"));
        long hash = 17;
        foreach (var c in request.StepId)
        {
            hash = ((hash * 31) + c) % 1_000_003;
        }

        var v = ((left * 7919) + (right * 104_729) + hash) % 1_000_003;
        var hold = false;
        lock (_lock)
        {
            // At most holdAfter calls are let through to complete; the rest hold.
            hold = _admitted >= holdAfter;
            _admitted += hold ? 0 : 1;
        }

        if (hold)
        {
            // Never completes: the process is killed from outside while the run waits here.
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        }

        lock (_lock)
        {
            File.AppendAllText(log, request.StepId + " " + request.IdempotencyKey + "\n", Encoding.UTF8);
            if (++_completed >= crashAfter)
            {
                Process.GetCurrentProcess().Kill(); // SIGKILL: no finally, no flush, no checkpoint of this call.
            }
        }

        return PluginResult.Ok(JsonDocument.Parse($$"""{ "v": {{v}} }""").RootElement);
    }

    private static long Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetInt64() : long.Parse(value.GetString()!, CultureInfo.InvariantCulture);
}

internal sealed class NoLlm : ILlmClient
{
    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) => throw new InvalidOperationException("No LLM here.");
}
