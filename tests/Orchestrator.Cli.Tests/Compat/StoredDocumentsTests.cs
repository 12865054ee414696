using System.Text.Json;
using Orchestrator.Cli.Commands;
using Orchestrator.Cli.Scripting;
using Orchestrator.Cli.Tests.TestSupport;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Cli.Tests.Compat;

/// <summary>
/// Issue 11: the documents agent platforms really store (Fixtures/compat, copied from ../shared/compat) load, plan and
/// dry-run here. Each document has an expectation file (Fixtures/compat/expectations) derived from the reference
/// runtime's run with that runtime's bugs corrected, each correction with its reason.
/// </summary>
public sealed class StoredDocumentsTests
{
    public static TheoryData<string> Documents() => StoredDocumentExpectation.Documents();

    public static TheoryData<string> ScriptedDocuments() => StoredDocumentExpectation.ScriptedDocuments();

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Validate_StoredDocument_ReportsNoErrorExceptTheDocumentsOwn(string document)
    {
        var expected = StoredDocumentExpectation.Load(document);

        var result = await CliRunner.RunAsync("validate", expected.DocumentPath, "--format", "json");

        var errors = result.Json().GetProperty("files")[0].GetProperty("diagnostics").EnumerateArray()
            .Where(d => d.GetProperty("severity").GetString() == "error")
            .Select(d => (Path: d.GetProperty("path").GetString() ?? string.Empty, Text: $"{d.GetProperty("code").GetString()} at {d.GetProperty("path").GetString()}: {d.GetProperty("message").GetString()}"))
            .ToList();
        if (expected.PlanClean)
        {
            Assert.True(errors.Count == 0, $"{document} must load and plan with no error, but reports {errors.Count}:\n{string.Join('\n', errors.Select(e => e.Text))}");
            Assert.Equal(0, result.ExitCode);
        }
        else
        {
            // The document itself is wrong (the expectation says why): it reports errors, and only where it is wrong.
            Assert.NotEmpty(errors);
            var elsewhere = errors.Where(e => !expected.ErrorsOnlyUnder.Any(prefix => e.Path.StartsWith(prefix, StringComparison.Ordinal))).ToList();
            Assert.True(elsewhere.Count == 0, $"{document} is wrong only under {string.Join(", ", expected.ErrorsOnlyUnder)} ({expected.DocumentError}), but also reports:\n{string.Join('\n', elsewhere.Select(e => e.Text))}");
        }
    }

    [Theory]
    [MemberData(nameof(ScriptedDocuments))]
    public async Task Run_ScriptedStoredDocument_SucceedsWithTheScriptedUsage(string document)
    {
        var expected = StoredDocumentExpectation.Load(document);
        var run = expected.Run!;
        List<string> args = ["run", expected.DocumentPath, "--plugins", StoredDocumentRun.ScriptPath(run.Plugins)!, "--format", "json"];
        if (run.Llm is not null)
        {
            args.AddRange(["--llm", StoredDocumentRun.ScriptPath(run.Llm)!]);
        }

        if (run.Inputs is not null)
        {
            args.AddRange(["--inputs", StoredDocumentRun.ScriptPath(run.Inputs)!]);
        }

        var result = await CliRunner.RunAsync([.. args]);

        Assert.True(result.Stdout.TrimStart().StartsWith('{'), $"{document}: the run printed no result (exit {result.ExitCode}):\n{result.Stderr}");
        var json = result.Json();
        var failedSteps = json.GetProperty("steps").EnumerateObject()
            .Where(s => s.Value.GetProperty("status").GetString() is not ("succeeded" or "skipped"))
            .Select(s => $"{s.Name}: {s.Value.GetProperty("status").GetString()}: {s.Value.GetProperty("error")}");
        Assert.True(
            json.GetProperty("status").GetString() == run.Status,
            $"{document}: the run is '{json.GetProperty("status").GetString()}', not '{run.Status}': {json.GetProperty("error")}\n{string.Join('\n', failedSteps)}\n{FirstErrors(result.Stderr)}");
        var usage = json.GetProperty("usage");
        Assert.Equal(run.LlmCalls, usage.GetProperty("llm_calls").GetInt32());
        Assert.Equal(run.TotalTokens, usage.GetProperty("total_tokens").GetInt64());
    }

    [Theory]
    [MemberData(nameof(ScriptedDocuments))]
    public async Task Run_ScriptedStoredDocument_MakesTheReferencePluginCallsAsCorrected(string document)
    {
        var expected = StoredDocumentExpectation.Load(document);
        var run = expected.Run!;
        var planning = new WorkflowPlanner().Plan(WorkflowJson.Load(await File.ReadAllTextAsync(expected.DocumentPath)));
        Assert.True(planning.Succeeded, $"{document} does not plan:\n{string.Join('\n', planning.Diagnostics.Where(d => d.IsError).Take(5))}");
        List<string> problems = [];
        using var pluginsFile = Parse(run.Plugins)!;
        using var llmFile = Parse(run.Llm);
        using var inputs = Parse(run.Inputs);
        var plugins = PluginScript.Read(pluginsFile.RootElement, run.Plugins, problems);
        var llm = llmFile is null ? null : LlmScript.Read(llmFile.RootElement, run.Llm!, problems);
        Assert.Empty(problems);
        var recorder = new RecordingPluginExecutor(new ScriptedPluginExecutor(plugins, TimeProvider.System), run.IgnoreParams);
        var orchestrator = new WorkflowOrchestratorBuilder(recorder, new ScriptedLlmClient(llm)).UseTimeProvider(TimeProvider.System).Build();

        await orchestrator.ExecuteAsync(
            planning.GetPlanOrThrow(),
            new WorkflowExecutionRequest { UserId = RunCommand.UserId, ExecutionId = RunCommand.ExecutionId, Inputs = inputs?.RootElement ?? default });

        var actual = recorder.Calls;
        var expectedCalls = run.Ordered ? run.Calls : [.. run.Calls.Order(CallOrder.Instance)];
        var actualCalls = run.Ordered ? actual : [.. actual.Order(CallOrder.Instance)];
        Assert.True(
            expectedCalls.SequenceEqual(actualCalls),
            $"{document}: the plugin calls{(run.Ordered ? string.Empty : " (sorted)")} differ.\nExpected:\n  {string.Join("\n  ", expectedCalls)}\nActual:\n  {string.Join("\n  ", actualCalls)}");
    }

    [Fact]
    public void Expectations_CoverEveryDocumentAndUseEveryScript()
    {
        var names = StoredDocumentExpectation.DocumentNames().ToList();
        var expectations = names.Select(StoredDocumentExpectation.Load).ToList();
        var usedScripts = expectations.Where(e => e.Run is not null)
            .SelectMany(e => new[] { e.Run!.Plugins, e.Run.Llm, e.Run.Inputs })
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var scripts = Directory.EnumerateFiles(Path.Combine(StoredDocumentExpectation.Root, "scripts")).Select(Path.GetFileName).OfType<string>();

        Assert.Equal(16, names.Count);
        Assert.All(expectations.Zip(names), pair => Assert.Equal(pair.Second + ".json", pair.First.Document));
        Assert.DoesNotContain(scripts, s => !usedScripts.Contains(s));
        Assert.All(usedScripts, s => Assert.True(File.Exists(StoredDocumentRun.ScriptPath(s)), $"{s} is missing"));
        Assert.All(expectations.Where(e => !e.PlanClean), e => Assert.False(string.IsNullOrWhiteSpace(e.DocumentError), $"{e.Document}: say why the document is wrong"));
    }

    private static JsonDocument? Parse(string? script) =>
        script is null ? null : JsonDocument.Parse(File.ReadAllText(StoredDocumentRun.ScriptPath(script)!), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

    private static string FirstErrors(string text) =>
        string.Join('\n', text.Split('\n').Where(l => l.StartsWith("error", StringComparison.Ordinal) || l.Contains("Error", StringComparison.Ordinal)).Take(5));

    /// <summary>Orders calls by plugin, action and parameters, to compare them as a multiset.</summary>
    private sealed class CallOrder : IComparer<RecordedPluginCall>
    {
        public static CallOrder Instance { get; } = new();

        public int Compare(RecordedPluginCall? x, RecordedPluginCall? y) =>
            string.CompareOrdinal(x?.ToString(), y?.ToString());
    }
}
