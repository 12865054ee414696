using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.Sqlite.Tests;

/// <summary>An orchestrator with <c>AddSqliteStores</c>: memories carry from one run to the next, and the audit trail is in the file.</summary>
public sealed class SqliteStoresEndToEndTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, "orchestrator.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ExecuteAsync_TwiceWithSqliteStores_SecondPromptHasTheFirstSummaryAndTheAuditIsInTheFile()
    {
        var connectionString = $"Data Source={DatabasePath}";

        await using (var runs = await StoresEndToEnd.RunTwiceAsync("alice", builder => builder.AddSqliteStores(connectionString)))
        {
            Assert.Equal(ExecutionStatus.Succeeded, runs.First.Status);
            Assert.Equal(ExecutionStatus.Succeeded, runs.Second.Status);
            Assert.Contains("SUMMARY-OF-cats", runs.SecondStepCall.SystemPrompt, StringComparison.Ordinal);
            Assert.Equal(1, runs.Second.Usage.MemoryEntries);

            // The sink the orchestrator writes to is the one the host can resolve to read events back.
            Assert.Same(runs.Services.GetRequiredService<SqliteAuditSink>(), Assert.Single(runs.Services.GetServices<IAuditSink>()));
        }

        // Read with fresh objects over the file: what is there is what was written, not what a store object kept.
        using var memories = new SqliteMemoryStore(connectionString);
        var stored = await memories.GetRecentRunsAsync("alice", StoresEndToEnd.AgentId, 10);
        Assert.Equal([2, 1], stored.Select(r => r.RunNumber));
        Assert.Equal(["SUMMARY-OF-dogs", "SUMMARY-OF-cats"], stored.Select(r => r.Summary));

        using var audit = new SqliteAuditSink(connectionString);
        foreach (var run in stored)
        {
            var events = await audit.ReadAsync(run.ExecutionId);
            Assert.Same(AuditEventKind.ExecutionStarted, events[0].Kind);
            Assert.Contains(events, e => e.Kind == AuditEventKind.StepExecuted && e.StepId == "write");
            Assert.Contains(events, e => e.Kind == AuditEventKind.ExecutionCompleted);
            Assert.Contains(events, e => e.Kind == AuditEventKind.MemorySaved);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        }

        using var checkpoints = SqliteCheckpointStore.ForFile(DatabasePath);
        Assert.NotNull(await checkpoints.LoadAsync(stored[0].ExecutionId));
    }
}
