using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Core.Durability;

namespace Orchestrator.Stores.Sqlite.Tests;

/// <summary>
/// Kills a real process running a 64-step workflow (8 layers of 8 parallel steps, each reading two of the layer
/// before) on a SQLite checkpoint, at every point from its 1st to its 64th completed plugin call (SIGKILL: no clean-up,
/// no flush), and resumes it in a new process; some resumes are killed too and resumed again. Every time, the final
/// outputs equal those of an uninterrupted run, no step whose finish was checkpointed runs again, and every call of a
/// step carries the same idempotency key.
/// </summary>
public class CrashTests
{
    private const int Steps = 64;
    private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-crash-").FullName;

    [Fact]
    public async Task ResumeAsync_AfterAKillAtEachOf64Points_EndsWithTheUninterruptedOutputsAndReRunsNoCheckpointedStep()
    {
        try
        {
            var baseline = await StartAsync("run", "baseline", crashAfter: null);
            Assert.Equal(0, baseline.ExitCode);
            Assert.Equal(Steps, baseline.Calls.Count);
            var expected = Outputs(baseline.Output);

            var killed = 0;
            var resumedWithWorkSaved = 0;
            await Parallel.ForEachAsync(Enumerable.Range(1, Steps), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (point, _) =>
            {
                var id = $"crash-{point}";
                var first = await StartAsync("run", id, crashAfter: point);
                Assert.NotEqual(0, first.ExitCode); // Killed.
                Interlocked.Increment(ref killed);

                // Every third kill point has its resume killed too, after a few more calls, before the last resume.
                var kills = point % 3 == 0 ? new int?[] { 5, null } : [null];
                ChildRun? last = null;
                foreach (var crashAfter in kills)
                {
                    var checkpointed = await CheckpointedStepsAsync(id);
                    if (crashAfter == kills[0] && checkpointed.Count > 0)
                    {
                        Interlocked.Increment(ref resumedWithWorkSaved);
                    }

                    last = await StartAsync("resume", id, crashAfter);
                    var ranAgain = last.Calls.Select(c => c.StepId).Intersect(checkpointed).ToList();
                    Assert.True(ranAgain.Count == 0, $"kill point {point}: checkpointed steps ran again: {string.Join(", ", ranAgain)}");
                    if (last.ExitCode == 0)
                    {
                        break; // Finished (a resume asked to die after 5 calls had fewer left).
                    }

                    Assert.True(crashAfter is { } k && last.Calls.Count >= k, $"kill point {point}: the resume died unasked.");
                }

                Assert.Equal(0, last!.ExitCode);
                Assert.True(expected == Outputs(last.Output), $"kill point {point}: the outputs differ from the uninterrupted run's.\n{last.Output}");
                Assert.All(CallLog(id), c => Assert.Equal($"{id}:{c.StepId}", c.Key));
            });

            Assert.True(killed >= 50);

            // The kills landed across the run, not all before the first checkpoint write (a guard that the test is not
            // vacuous; the child warms its store up, so only the first layer's kill points can find nothing saved).
            Assert.True(resumedWithWorkSaved >= Steps / 2, $"only {resumedWithWorkSaved} kill points had checkpointed steps");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string Database(string id) => Path.Combine(_directory, id + ".db");

    private string Log(string id) => Path.Combine(_directory, id + ".log");

    private List<(string StepId, string Key)> CallLog(string id) =>
        [.. File.ReadAllLines(Log(id)).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(p => (p[0], p[1]))];

    private async Task<HashSet<string>> CheckpointedStepsAsync(string id)
    {
        using var store = SqliteCheckpointStore.ForFile(Database(id));
        var stored = await store.LoadAsync(id);
        return stored is null ? [] : [.. stored.Steps.Select(s => s.StepId)];
    }

    /// <summary>The status and every step's data, normalised (the child prints them sorted by step id).</summary>
    private static string Outputs(string output)
    {
        using var document = JsonDocument.Parse(output);
        Assert.Equal("Succeeded", document.RootElement.GetProperty("status").GetString());
        return document.RootElement.GetProperty("steps").GetRawText();
    }

    private async Task<ChildRun> StartAsync(string mode, string id, int? crashAfter)
    {
        var logBefore = File.Exists(Log(id)) ? CallLog(id).Count : 0;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { CrashHostPath(), mode, Database(id), Log(id), id })
        {
            start.ArgumentList.Add(arg);
        }

        if (crashAfter is { } n)
        {
            start.Environment["CRASH_AFTER"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(patience.Token);
        var calls = File.Exists(Log(id)) ? CallLog(id).Skip(logBefore).ToList() : [];
        var result = new ChildRun(process.ExitCode, (await output).Trim(), calls);
        Assert.True(process.ExitCode == 0 || crashAfter is not null, $"{mode} {id} failed: {await error}");
        return result;
    }

    /// <summary>The crash host's build output, beside this project's (same configuration and framework).</summary>
    private static string CrashHostPath()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var testsRoot = configuration.Parent!.Parent!.Parent!;
        var path = Path.Combine(testsRoot.FullName, "Orchestrator.CrashHost", "bin", configuration.Name, framework.Name, "Orchestrator.CrashHost.dll");
        Assert.True(File.Exists(path), $"The crash host is not built at {path}.");
        return path;
    }

    private sealed record ChildRun(int ExitCode, string Output, List<(string StepId, string Key)> Calls);
}
