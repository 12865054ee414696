using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Stores.PostgreSql.Tests;

/// <summary>An orchestrator with <c>AddPostgreSqlStores</c>: memories carry from one run to the next, and the audit trail is in the database.</summary>
public class PostgreSqlStoresEndToEndTests
{
    [SkippableFact]
    public async Task ExecuteAsync_TwiceWithPostgreSqlStores_SecondPromptHasTheFirstSummaryAndTheAuditIsInTheDatabase()
    {
        await using var database = TestDatabase.Require();

        await using (var runs = await StoresEndToEnd.RunTwiceAsync(
            "alice",
            builder => builder.AddPostgreSqlStores(database.DataSource, new PostgreSqlCheckpointStoreOptions { Schema = database.Schema })))
        {
            Assert.Equal(ExecutionStatus.Succeeded, runs.First.Status);
            Assert.Equal(ExecutionStatus.Succeeded, runs.Second.Status);
            Assert.Contains("SUMMARY-OF-cats", runs.SecondStepCall.SystemPrompt, StringComparison.Ordinal);
            Assert.Equal(1, runs.Second.Usage.MemoryEntries);

            // The sink the orchestrator writes to is the one the host can resolve to read events back.
            Assert.Same(runs.Services.GetRequiredService<PostgreSqlAuditSink>(), Assert.Single(runs.Services.GetServices<IAuditSink>()));
        }

        // Read with fresh objects: what is there is what was written, not what a store object kept.
        var memories = new PostgreSqlMemoryStore(database.DataSource, database.Schema);
        var stored = await memories.GetRecentRunsAsync("alice", StoresEndToEnd.AgentId, 10);
        Assert.Equal([2, 1], stored.Select(r => r.RunNumber));
        Assert.Equal(["SUMMARY-OF-dogs", "SUMMARY-OF-cats"], stored.Select(r => r.Summary));

        var audit = new PostgreSqlAuditSink(database.DataSource, database.Schema);
        foreach (var run in stored)
        {
            var events = await audit.ReadAsync(run.ExecutionId);
            Assert.Same(AuditEventKind.ExecutionStarted, events[0].Kind);
            Assert.Contains(events, e => e.Kind == AuditEventKind.StepExecuted && e.StepId == "write");
            Assert.Contains(events, e => e.Kind == AuditEventKind.ExecutionCompleted);
            Assert.Contains(events, e => e.Kind == AuditEventKind.MemorySaved);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        }

        var checkpoints = database.Store();
        Assert.Equal(CheckpointStatus.Finished, (await checkpoints.LoadAsync(stored[0].ExecutionId))!.Status);
    }
}
