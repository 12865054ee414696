using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.Sqlite.Tests;

/// <summary>The shared store behaviour against a SQLite file, plus what is SQLite's own: the file, WAL, concurrent runs.</summary>
public class SqliteCheckpointStoreTests : CheckpointStoreBehaviourTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, "checkpoints.db");

    protected override ValueTask<ICheckpointStore?> CreateStoreAsync() => ValueTask.FromResult<ICheckpointStore?>(SqliteCheckpointStore.ForFile(DatabasePath));

    protected override ValueTask DisposeStoreAsync()
    {
        ((IDisposable)Store).Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task LoadAsync_FromASecondStoreOnTheSameFile_SeesWhatTheFirstWrote()
    {
        var id = NewId();
        await Store.CreateRunAsync(Header(id));
        await Store.AppendStepsAsync(id, [new StepCheckpoint { StepId = "a", Status = StepStatus.Succeeded, Data = Parse("""{"v":1}""") }]);
        using var other = SqliteCheckpointStore.ForFile(DatabasePath);

        var stored = await other.LoadAsync(id);

        Assert.Equal("""{"v":1}""", Assert.Single(stored!.Steps).Data.GetRawText());
    }

    [Fact]
    public async Task CreateRunAsync_OnANewFile_UsesWriteAheadLogging()
    {
        await Store.CreateRunAsync(Header(NewId()));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ExecuteAsync_ManyConcurrentRunsOnOneFile_EachStoresItsOwnRecords()
    {
        const string layered = """
            [ { "id": "a", "type": "action", "plugin": "calc", "action": "echo", "params": { "v": "{{input.n}}" } },
              { "id": "b", "type": "action", "plugin": "calc", "action": "echo", "params": { "v": "{{a.data.v}}" } },
              { "id": "c", "type": "action", "plugin": "calc", "action": "echo", "params": { "v": "{{a.data.v}}" } },
              { "id": "d", "type": "action", "plugin": "calc", "action": "echo", "params": { "b": "{{b.data.v}}", "c": "{{c.data.v}}" } } ]
            """;
        var definition = Load(layered);
        var orchestrator = new WorkflowOrchestratorBuilder(new RecordingPluginExecutor(), new NoLlm()).UseTimeProvider(new FakeTimeProvider()).AddCheckpointStore(Store).Build();
        var ids = Enumerable.Range(0, 24).Select(i => (Id: NewId(), N: i)).ToArray();

        var results = await Task.WhenAll(ids.Select(r => Task.Run(async () =>
            await orchestrator.ExecuteAsync(definition, new WorkflowExecutionRequest { UserId = "u1", ExecutionId = r.Id, Inputs = Parse($$"""{ "n": {{r.N}} }""") }))));

        Assert.All(results, r => Assert.Equal(ExecutionStatus.Succeeded, r.Status));
        foreach (var (id, n) in ids)
        {
            var stored = (await Store.LoadAsync(id))!;
            Assert.Equal(CheckpointStatus.Finished, stored.Status);
            Assert.Equal(["a", "b", "c", "d"], stored.Steps.Select(s => s.StepId).Order(StringComparer.Ordinal));
            Assert.Equal(n, stored.Steps.Single(s => s.StepId == "d").Data.GetProperty("b").GetInt32());
        }
    }

    private sealed class NoLlm : ILlmClient
    {
        public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("No LLM in these tests.");
    }
}
