using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orchestrator.Core.Benchmarks.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;
using Orchestrator.Stores.PostgreSql;
using Orchestrator.Stores.Sqlite;

namespace Orchestrator.Core.Benchmarks.Hosting;

/// <summary>
/// A console measurement harness (not BenchmarkDotNet) for what BenchmarkDotNet does not report: runs per second with
/// several runs in flight, per-run latency percentiles, bytes held per suspended run, and resume latency with 100,000
/// suspended runs in the SQLite store. Run it under <c>taskset</c> to choose the cores; it prints what it ran on.
/// <code>
/// dotnet run -c Release --project benchmarks/Orchestrator.Core.Benchmarks -- harness throughput [runs] [concurrency]
/// dotnet run -c Release --project benchmarks/Orchestrator.Core.Benchmarks -- harness suspended [sqlite runs] [resumes]
/// </code>
/// </summary>
internal static class HostHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine($"processors {Environment.ProcessorCount}, server GC {System.Runtime.GCSettings.IsServerGC}, {TimeProvider.System.GetUtcNow():HH:mm:ss} UTC");
        switch (args)
        {
            case ["throughput", ..]:
                await ThroughputAsync(
                    args.Length > 1 ? int.Parse(args[1], culture) : 5_000,
                    args.Length > 2 ? int.Parse(args[2], culture) : 8).ConfigureAwait(false);
                return 0;
            case ["suspended", ..]:
                await SuspendedAsync(
                    args.Length > 1 ? int.Parse(args[1], culture) : 100_000,
                    args.Length > 2 ? int.Parse(args[2], culture) : 1_000).ConfigureAwait(false);
                return 0;
            default:
                Console.Error.WriteLine("harness throughput [runs] [concurrency] | harness suspended [sqlite runs] [resumes]");
                return 2;
        }
    }

    /// <summary>The email agent through each host: <paramref name="runs"/> runs, <paramref name="concurrency"/> at a time.</summary>
    private static async Task ThroughputAsync(int runs, int concurrency)
    {
        var plan = EmailAgent.Plan();
        var directory = Directory.CreateTempSubdirectory("orchestrator-harness-").FullName;
        using var sqliteStore = new SqliteCheckpointStore(new SqliteCheckpointStoreOptions { ConnectionString = $"Data Source={Path.Combine(directory, "email.db")}" });
        var hosts = new List<(string Name, Func<int, Task> Run, SamplePlugins Plugins)>();
        var bare = EmailAgent.Bare(out var barePlugins);
        hosts.Add(("bare constructor", _ => Checked(bare.ExecuteAsync(plan, EmailAgent.Request)), barePlugins));
        var inMemory = EmailAgent.Hosted(null, out var memoryPlugins, out var p1);
        hosts.Add(("DI defaults, in-memory", _ => Checked(inMemory.ExecuteAsync(plan, EmailAgent.Request)), memoryPlugins));
        var sqlite = EmailAgent.Hosted(() => sqliteStore, out var sqlitePlugins, out var p2);
        hosts.Add(("DI defaults, SQLite checkpoints", _ => Checked(sqlite.ExecuteAsync(plan, EmailAgent.Request)), sqlitePlugins));
        NpgsqlDataSource? dataSource = null;
        PostgreSqlCheckpointStore? postgresStore = null;
        ServiceProvider? p3 = null;
        var schema = "email_harness_" + Guid.NewGuid().ToString("N");
        if (Environment.GetEnvironmentVariable(CheckpointBenchmarks.PostgresVariable) is { Length: > 0 } connectionString)
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
            postgresStore = new PostgreSqlCheckpointStore(dataSource, new PostgreSqlCheckpointStoreOptions { Schema = schema });
            var postgres = EmailAgent.Hosted(() => postgresStore, out var postgresPlugins, out p3);
            hosts.Add(("DI defaults, PostgreSQL checkpoints", _ => Checked(postgres.ExecuteAsync(plan, EmailAgent.Request)), postgresPlugins));
        }

        var afPlugins = new SamplePlugins();
        // An Agent Framework workflow runs one run at a time: one instance per worker.
        var agentFrameworks = Enumerable.Range(0, concurrency).Select(_ => new AgentFrameworkEmailAgent(afPlugins, new SampleLlm())).ToArray();
        hosts.Add(("Agent Framework (peer)", async worker =>
        {
            if (await agentFrameworks[worker].RunAsync("#inbox").ConfigureAwait(false) != 5)
            {
                throw new InvalidOperationException("An Agent Framework run did not complete its five executors.");
            }
        }, afPlugins));

        Console.WriteLine($"email-summary agent: {runs} runs per host, {concurrency} in flight");
        Console.WriteLine("| Host | runs/s | p50 per run | p99 per run | allocated per run |");
        Console.WriteLine("|---|--:|--:|--:|--:|");
        foreach (var (name, run, plugins) in hosts)
        {
            await MeasureAsync(run, plugins, Math.Min(500, runs), concurrency).ConfigureAwait(false); // warm-up
            var (elapsed, latencies, allocated) = await MeasureAsync(run, plugins, runs, concurrency).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {runs / elapsed.TotalSeconds:N0} | {Percentile(latencies, 0.50):N1} us | {Percentile(latencies, 0.99):N1} us | {allocated / runs / 1024.0:N1} KB |"));
        }

        p1.Dispose();
        p2.Dispose();
        p3?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        if (dataSource is not null)
        {
            await using (var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
            {
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Bytes held per suspended run in memory mode; then resume latency with many suspended runs in SQLite.</summary>
    private static async Task SuspendedAsync(int sqliteRuns, int resumes)
    {
        var plan = EmailAgent.PlanWithApproval();

        // Memory mode: no store, so the suspended runs live in the orchestrator.
        const int InMemoryRuns = 10_000;
        var inMemory = EmailAgent.Hosted(null, out var memoryPlugins, out var p1);
        await SuspendAsync(inMemory, plan, 200, "warm").ConfigureAwait(false);
        Drain(memoryPlugins);
        var before = Held();
        await SuspendAsync(inMemory, plan, InMemoryRuns, "mem").ConfigureAwait(false);
        Drain(memoryPlugins);
        var after = Held();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory mode: {InMemoryRuns} suspended runs hold {(after - before) / 1024.0 / 1024.0:N1} MB: {(after - before) / (double)InMemoryRuns:N0} B per suspended run (GC.GetTotalMemory(true) before and after)"));
        GC.KeepAlive(inMemory);
        p1.Dispose();

        // SQLite: many runs suspended by one host; a second host (as after a restart) approves and resumes a sample.
        var directory = Directory.CreateTempSubdirectory("orchestrator-suspended-").FullName;
        var file = Path.Combine(directory, "suspended.db");
        using (var store = new SqliteCheckpointStore(new SqliteCheckpointStoreOptions { ConnectionString = $"Data Source={file}" }))
        {
            var writer = EmailAgent.Hosted(() => store, out var writerPlugins, out var p2);
            var started = Stopwatch.GetTimestamp();
            await SuspendAsync(writer, plan, sqliteRuns, "run").ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SQLite: {sqliteRuns} runs suspended in {Stopwatch.GetElapsedTime(started).TotalSeconds:N1} s; database {new FileInfo(file).Length / 1024.0 / 1024.0:N1} MB"));
            Drain(writerPlugins);
            p2.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var store = new SqliteCheckpointStore(new SqliteCheckpointStoreOptions { ConnectionString = $"Data Source={file}" }))
        {
            var host = EmailAgent.Hosted(() => store, out var plugins, out var p3);
            // A distinct random sample of the runs (seed 42), resumed one at a time.
            var random = new Random(42);
            var sample = new HashSet<int>();
            while (sample.Count < Math.Min(resumes, sqliteRuns))
            {
                sample.Add(random.Next(sqliteRuns));
            }

            var approve = new List<double>(resumes);
            var resume = new List<double>(resumes);
            foreach (var n in sample)
            {
                var id = "run-" + n.ToString(CultureInfo.InvariantCulture);
                var t0 = Stopwatch.GetTimestamp();
                if (!await host.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = id, StepId = "approve", Approver = "ann", Approved = true }).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"The approval of {id} is not settled.");
                }

                var t1 = Stopwatch.GetTimestamp();
                var result = await host.ResumeAsync(id, options: null).ConfigureAwait(false);
                var t2 = Stopwatch.GetTimestamp();
                if (result.Status != ExecutionStatus.Succeeded)
                {
                    throw new InvalidOperationException($"Resuming {id} ended {result.Status}: {result.ErrorCode} {result.Error}");
                }

                approve.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds);
                resume.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds);

                Drain(plugins);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SQLite, {sqliteRuns} suspended runs, a fresh host resuming {resume.Count} of them (random, one at a time): approval p50 {Percentile(approve, 0.5):N0} us, p99 {Percentile(approve, 0.99):N0} us; resume to the end p50 {Percentile(resume, 0.5):N0} us, p99 {Percentile(resume, 0.99):N0} us"));
            p3.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static async Task SuspendAsync(WorkflowOrchestrator orchestrator, ExecutionPlan plan, int runs, string prefix)
    {
        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            await Task.Yield();
            int i;
            while ((i = Interlocked.Increment(ref next)) < runs)
            {
                var result = await orchestrator.ExecuteAsync(plan, EmailAgent.Request with { ExecutionId = prefix + "-" + i.ToString(CultureInfo.InvariantCulture) }).ConfigureAwait(false);
                if (result.Status != ExecutionStatus.Suspended)
                {
                    throw new InvalidOperationException($"Run {i} ended {result.Status}, not suspended: {result.Error}");
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private static async Task<(TimeSpan Elapsed, List<double> Latencies, long Allocated)> MeasureAsync(Func<int, Task> run, SamplePlugins plugins, int runs, int concurrency)
    {
        var latencies = new double[runs];
        var next = -1;
        Drain(plugins);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            await Task.Yield();
            int i;
            while ((i = Interlocked.Increment(ref next)) < runs)
            {
                var t0 = Stopwatch.GetTimestamp();
                await run(worker).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                if ((i & 255) == 0)
                {
                    Drain(plugins);
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (elapsed, [.. latencies], allocated);
    }

    private static async Task Checked(ValueTask<WorkflowExecutionResult> pending)
    {
        var result = await pending.ConfigureAwait(false);
        if (result.Status != ExecutionStatus.Succeeded || result.Warnings.Count > 0)
        {
            EmailAgent.Check(result, "harness");
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
    }

    private static long Held()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void Drain(SamplePlugins plugins)
    {
        while (plugins.Sent.TryDequeue(out _))
        {
        }
    }
}
