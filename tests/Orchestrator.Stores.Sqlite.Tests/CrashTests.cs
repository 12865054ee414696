using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.Stores.Sqlite.Tests;

/// <summary>
/// Kills a real process running a 64-step workflow (8 layers of 8 parallel steps, each reading two of the layer
/// before) on a SQLite checkpoint, at every point from its 1st to its 64th completed plugin call (SIGKILL: no clean-up,
/// no flush), and resumes it in a new process; some resumes are killed too and resumed again. A second test kills it
/// from outside, at arbitrary moments (in the middle of a checkpoint write, too). Every time, the final
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
            var expected = await BaselineAsync();
            var killed = 0;
            var resumedWithWorkSaved = 0;
            await Parallel.ForEachAsync(Enumerable.Range(1, Steps), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (point, _) =>
            {
                var id = $"crash-{point}";
                var first = await StartAsync("run", id, crashAfter: point);
                Assert.NotEqual(0, first.ExitCode); // Killed.
                Interlocked.Increment(ref killed);

                // Every third kill point has its resume killed too, after a few more calls, before the last resume.
                if (await ResumeToTheEndAsync(id, point, expected, killResumeAfter: point % 3 == 0 ? 5 : null))
                {
                    Interlocked.Increment(ref resumedWithWorkSaved);
                }
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

    /// <summary>
    /// The same, with the kill coming from outside at an arbitrary instruction (the test watches the call log and kills
    /// the process with <see cref="Process.Kill()"/>), so it can land in the middle of a checkpoint write. The child
    /// holds its calls after the kill point, so the kill cannot come after the run's end (it once did, on a loaded
    /// machine); the finished run is then resumed once more and returns its stored result (idempotent resume).
    /// </summary>
    [Fact]
    public async Task ResumeAsync_AfterTheProcessIsKilledFromOutside_EndsWithTheUninterruptedOutputsAndReRunsNoCheckpointedStep()
    {
        try
        {
            var expected = await BaselineAsync();
            var killed = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, 7).Select(i => 4 + (8 * i)), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (point, _) =>
            {
                var id = $"outside-{point}";
                // The child holds every call after the point-th (HOLD_AFTER), so it cannot finish before the kill, however
                // late the test sees its log: the kill always lands, at an arbitrary moment of the checkpoint writes.
                var first = await StartAsync("run", id, crashAfter: null, killWhenLogHas: point);
                Assert.NotEqual(0, first.ExitCode);
                Assert.Equal(point, first.Calls.Count);
                Interlocked.Increment(ref killed);
                await ResumeToTheEndAsync(id, point, expected, killResumeAfter: null);

                // Resuming the finished run again (a host that crashed after the end) returns its stored result.
                var again = await StartAsync("resume", id, crashAfter: null);
                Assert.Equal(0, again.ExitCode);
                Assert.Empty(again.Calls);
                Assert.True(expected == Outputs(again.Output), $"kill point {point}: the stored result differs from the uninterrupted run's.\n{again.Output}");
            });

            Assert.Equal(7, killed);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task<string> BaselineAsync()
    {
        var baseline = await StartAsync("run", "baseline-" + Guid.NewGuid().ToString("N"), crashAfter: null);
        Assert.Equal(0, baseline.ExitCode);
        Assert.Equal(Steps, baseline.Calls.Count);
        return Outputs(baseline.Output);
    }

    /// <summary>
    /// Resumes a killed run in new processes until it finishes (killing the first resume too when asked), checking
    /// each time that no checkpointed step ran again, then that the outputs are the uninterrupted run's and every call
    /// of a step had the same idempotency key. Returns whether the first resume found checkpointed steps.
    /// </summary>
    private async Task<bool> ResumeToTheEndAsync(string id, int point, string expected, int? killResumeAfter)
    {
        var workSaved = false;
        var kills = killResumeAfter is { } k ? new int?[] { k, null } : [null];
        ChildRun? last = null;
        for (var attempt = 0; attempt < kills.Length; attempt++)
        {
            var crashAfter = kills[attempt];
            var checkpointed = await CheckpointedStepsAsync(id);
            workSaved |= attempt == 0 && checkpointed.Count > 0;
            last = await StartAsync("resume", id, crashAfter);
            var ranAgain = last.Calls.Select(c => c.StepId).Intersect(checkpointed).ToList();
            Assert.True(ranAgain.Count == 0, $"kill point {point}: checkpointed steps ran again: {string.Join(", ", ranAgain)}");
            if (last.ExitCode == 0)
            {
                break; // Finished (a resume asked to die after 5 calls had fewer left).
            }

            Assert.True(crashAfter is { } n && last.Calls.Count >= n, $"kill point {point}: the resume died unasked.");
        }

        Assert.Equal(0, last!.ExitCode);
        Assert.True(expected == Outputs(last.Output), $"kill point {point}: the outputs differ from the uninterrupted run's.\n{last.Output}");
        Assert.All(CallLog(id), c => Assert.Equal($"{id}:{c.StepId}", c.Key));
        return workSaved;
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

    private async Task<ChildRun> StartAsync(string mode, string id, int? crashAfter, int? killWhenLogHas = null)
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

        if (killWhenLogHas is { } hold)
        {
            start.Environment["HOLD_AFTER"] = hold.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (killWhenLogHas is { } lines)
        {
            while (!process.HasExited && CountLines(Log(id)) - logBefore < lines)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, patience.Token);
            }

            process.Kill(); // SIGKILL, wherever the child is (does nothing when it has exited).
        }

        await process.WaitForExitAsync(patience.Token);
        var calls = File.Exists(Log(id)) ? CallLog(id).Skip(logBefore).ToList() : [];
        var result = new ChildRun(process.ExitCode, (await output).Trim(), calls);
        Assert.True(process.ExitCode == 0 || crashAfter is not null || killWhenLogHas is not null, $"{mode} {id} failed: {await error}");
        return result;
    }

    /// <summary>Complete lines in the call log, read while the child may be appending to it.</summary>
    private static int CountLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var count = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            count += b == '\n' ? 1 : 0;
        }

        return count;
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
