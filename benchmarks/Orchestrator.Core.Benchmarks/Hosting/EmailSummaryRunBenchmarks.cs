using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orchestrator.Core.Benchmarks.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;
using Orchestrator.Stores.PostgreSql;
using Orchestrator.Stores.Sqlite;

namespace Orchestrator.Core.Benchmarks.Hosting;

/// <summary>
/// Whole runs of the email-summary agent, one after another, side by side in one run: the bare constructor (baseline),
/// the DI host's defaults with no checkpoint store, with the SQLite store and with the PostgreSQL store (when
/// <c>ORCHESTRATOR_BENCH_POSTGRES</c> names a database), and the same agent on Microsoft Agent Framework. Mean, Median
/// and Allocated are per run.
/// </summary>
/// <remarks>
/// Warmed up and run in three processes as <see cref="HostedStepBenchmarks"/> (with 3 warm-ups the DI hosts were still
/// being recompiled by the tiered JIT while measured; one process's bare time moved by a third between processes).
/// </remarks>
[SimpleJob(launchCount: 3, warmupCount: 20, iterationCount: 15)]
[MemoryDiagnoser]
[MedianColumn]
#pragma warning disable CA1001 // BenchmarkDotNet's [GlobalCleanup] disposes what the setup made.
public class EmailSummaryRunBenchmarks
#pragma warning restore CA1001
{
    private readonly List<IDisposable> _owned = [];
    private ExecutionPlan _plan = null!;
    private WorkflowOrchestrator _bare = null!;
    private WorkflowOrchestrator _inMemory = null!;
    private WorkflowOrchestrator _sqlite = null!;
    private WorkflowOrchestrator? _postgres;
    private SqliteCheckpointStore _sqliteStore = null!;
    private PostgreSqlCheckpointStore? _postgresStore;
    private NpgsqlDataSource? _dataSource;
    private string? _schema;
    private string _directory = null!;
    private AgentFrameworkEmailAgent _agentFramework = null!;
    private SamplePlugins[] _plugins = [];

    // No [IterationCleanup]: it would make BenchmarkDotNet measure one run per iteration. Instead each run first empties
    // its stand-in chat (two messages a run, no allocation); finished runs stay in the stores for the whole benchmark.

    [GlobalSetup]
    public void Setup()
    {
        _plan = EmailAgent.Plan();
        _directory = Directory.CreateTempSubdirectory("orchestrator-email-bench-").FullName;
        _bare = EmailAgent.Bare(out var barePlugins);
        _inMemory = EmailAgent.Hosted(null, out var memoryPlugins, out var p1);
        _sqliteStore = new SqliteCheckpointStore(new SqliteCheckpointStoreOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "email.db")}" });
        _sqlite = EmailAgent.Hosted(() => _sqliteStore, out var sqlitePlugins, out var p2);
        _owned.AddRange([p1, p2]);
        var plugins = new List<SamplePlugins> { barePlugins, memoryPlugins, sqlitePlugins };
        if (Environment.GetEnvironmentVariable(CheckpointBenchmarks.PostgresVariable) is { Length: > 0 } connectionString)
        {
            _dataSource = NpgsqlDataSource.Create(connectionString);
            _schema = "email_bench_" + Guid.NewGuid().ToString("N");
            _postgresStore = new PostgreSqlCheckpointStore(_dataSource, new PostgreSqlCheckpointStoreOptions { Schema = _schema });
            _postgres = EmailAgent.Hosted(() => _postgresStore, out var postgresPlugins, out var p3);
            _owned.Add(p3);
            plugins.Add(postgresPlugins);
        }

        var afPlugins = new SamplePlugins();
        _agentFramework = new AgentFrameworkEmailAgent(afPlugins, new SampleLlm());
        plugins.Add(afPlugins);
        _plugins = [.. plugins];

        // One checked run of each, so a broken run cannot post a fast number: all five steps, both messages posted.
        foreach (var (name, orchestrator) in new[] { ("bare", _bare), ("in-memory", _inMemory), ("sqlite", _sqlite), ("postgres", _postgres) })
        {
            if (orchestrator is not null)
            {
                EmailAgent.Check(orchestrator.ExecuteAsync(_plan, EmailAgent.Request).AsTask().GetAwaiter().GetResult(), name);
            }
        }

        var completed = _agentFramework.RunAsync("#inbox").GetAwaiter().GetResult();
        if (completed != 5 || afPlugins.TakeSent().Count != 2)
        {
            throw new InvalidOperationException($"Agent Framework completed {completed} of 5 executors or did not post both messages.");
        }

        foreach (var sample in _plugins)
        {
            var sent = sample.TakeSent();
            if (sample != afPlugins && sent.Count != 2)
            {
                throw new InvalidOperationException($"A run posted {sent.Count} messages, not 2.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _sqliteStore.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        if (_dataSource is not null)
        {
            using (var command = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE"))
            {
                command.ExecuteNonQuery();
            }

            _dataSource.Dispose();
        }
    }

    [Benchmark(Baseline = true)]
    public ValueTask<WorkflowExecutionResult> Bare() => Drain(0)._bare.ExecuteAsync(_plan, EmailAgent.Request);

    [Benchmark]
    public ValueTask<WorkflowExecutionResult> DiInMemory() => Drain(1)._inMemory.ExecuteAsync(_plan, EmailAgent.Request);

    [Benchmark]
    public ValueTask<WorkflowExecutionResult> DiSqlite() => Drain(2)._sqlite.ExecuteAsync(_plan, EmailAgent.Request);

    [Benchmark]
    public ValueTask<WorkflowExecutionResult> DiPostgreSql() => (Drain(3)._postgres ?? throw new InvalidOperationException($"Set {CheckpointBenchmarks.PostgresVariable} to measure PostgreSQL.")).ExecuteAsync(_plan, EmailAgent.Request);

    [Benchmark]
    public Task<int> AgentFramework() => Drain(_plugins.Length - 1)._agentFramework.RunAsync("#inbox");

    private EmailSummaryRunBenchmarks Drain(int plugins)
    {
        var sent = _plugins[plugins].Sent;
        while (sent.TryDequeue(out _))
        {
        }

        return this;
    }
}
