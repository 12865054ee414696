using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Npgsql;
using Orchestrator.Core.Benchmarks.Execution;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Stores.PostgreSql;
using Orchestrator.Stores.Sqlite;

namespace Orchestrator.Core.Benchmarks.Durability;

/// <summary>
/// What checkpointing costs per step: the same no-op workflow run without a store (the baseline), with the in-memory
/// store, with SQLite (synchronous NORMAL, the durable default against a killed process; and FULL, durable against
/// power loss) and, when <c>ORCHESTRATOR_BENCH_POSTGRES</c> names a server, with PostgreSQL. Every run has a new
/// execution id (its header is written once) and appends one record per step, batched as steps finish together.
/// Each shape is a subclass whose benchmarks set <c>OperationsPerInvoke</c> to its step count, so Mean is per step.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class CheckpointBenchmarks
{
    public const string PostgresVariable = "ORCHESTRATOR_BENCH_POSTGRES";

    private readonly Dictionary<string, (WorkflowOrchestrator Orchestrator, ICheckpointStore? Store)> _orchestrators = new(StringComparer.Ordinal);
    private string _directory = null!;
    private NpgsqlDataSource? _postgres;
    private string? _schema;
    private ExecutionPlan _plan = null!;
    private int _runs;

    protected abstract DagShape CreateShape();

    [GlobalSetup]
    public void Setup()
    {
        var shape = CreateShape();
        _plan = new WorkflowPlanner().Plan(shape.ToWorkflow()).Plan ?? throw new InvalidOperationException($"{shape.Name} cannot be planned.");
        _directory = Directory.CreateTempSubdirectory("orchestrator-bench-").FullName;
        Add("none", null);
        Add("memory", new InMemoryCheckpointStore());
        Add("sqlite", new SqliteCheckpointStore(new SqliteCheckpointStoreOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "normal.db")}" }));
        Add("sqlite-full", new SqliteCheckpointStore(new SqliteCheckpointStoreOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "full.db")}", Synchronous = SqliteSynchronousMode.Full }));
        if (Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } connectionString)
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
            _schema = "bench_" + Guid.NewGuid().ToString("N");
            Add("postgres", new PostgreSqlCheckpointStore(_postgres, new PostgreSqlCheckpointStoreOptions { Schema = _schema }));
        }

        // One checked run of each, so a broken run cannot post a fast number.
        foreach (var (name, (orchestrator, store)) in _orchestrators)
        {
            var result = RunAsync(orchestrator).AsTask().GetAwaiter().GetResult();
            var stored = store?.LoadAsync(result.ExecutionId).AsTask().GetAwaiter().GetResult();
            if (result.Status != ExecutionStatus.Succeeded || (store is not null && stored?.Steps.Count != shape.Count))
            {
                throw new InvalidOperationException($"The {name} run of {shape.Name} ended {result.Status} with {stored?.Steps.Count} records: {result.Error}");
            }
        }
    }

    /// <summary>Finished runs are removed between iterations, so the stores do not grow through the benchmark.</summary>
    [IterationCleanup]
    public void RemoveFinishedRuns()
    {
        foreach (var (_, store) in _orchestrators.Values)
        {
            store?.DeleteExpiredAsync(DateTimeOffset.MaxValue).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var (_, store) in _orchestrators.Values)
        {
            (store as IDisposable)?.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        if (_postgres is not null)
        {
            using (var command = _postgres.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE"))
            {
                command.ExecuteNonQuery();
            }

            _postgres.Dispose();
        }
    }

    protected ValueTask<WorkflowExecutionResult> RunAsync(string store) => RunAsync(_orchestrators[store].Orchestrator);

    protected ValueTask<WorkflowExecutionResult> RunPostgresAsync() =>
        _orchestrators.TryGetValue("postgres", out var entry)
            ? RunAsync(entry.Orchestrator)
            : throw new InvalidOperationException($"Set {PostgresVariable} to a PostgreSQL connection string to measure the PostgreSQL store.");

    private ValueTask<WorkflowExecutionResult> RunAsync(WorkflowOrchestrator orchestrator) =>
        orchestrator.ExecuteAsync(_plan, new WorkflowExecutionRequest
        {
            UserId = "bench",
            ExecutionId = "bench-" + Interlocked.Increment(ref _runs).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"),
        });

    private void Add(string name, ICheckpointStore? store)
    {
        var builder = new WorkflowOrchestratorBuilder(new NoopPluginExecutor(), new ThrowingLlmClient());
        _orchestrators[name] = ((store is null ? builder : builder.AddCheckpointStore(store)).Build(), store);
    }
}
