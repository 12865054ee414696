using Orchestrator.Core.Serialization;

namespace Orchestrator.Fuzz.Tests;

/// <summary>
/// Replays every committed input of the fuzzer's corpus (tests/Orchestrator.Fuzz/Corpus: the seed documents and the
/// minimised inputs the fuzzer found, including those that once made Load or Plan throw) through Load + Plan: bad input
/// must become diagnostics, never an exception.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static TheoryData<string> CorpusFiles()
    {
        var files = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(CorpusDirectory).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(path));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void LoadAndPlan_CorpusInput_ReturnsDiagnosticsWithoutThrowing(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CorpusDirectory, file));

        var exception = Record.Exception(() => LoadPlanTarget.Run(bytes));

        Assert.Null(exception);
    }

    [Fact]
    public void Corpus_HoldsTheSeedDocumentsAndTheFuzzerFindings()
    {
        var files = Directory.GetFiles(CorpusDirectory).Select(Path.GetFileName).ToList();

        // The seeds copied from ../shared/workflows and ../shared/compat/documents, and the inputs the fuzzer added.
        Assert.Contains("email-summary.json", files);
        Assert.Contains("v6-orders-po-extractor-xlsx.json", files);
        Assert.Contains(files, f => f!.StartsWith("fuzz-", StringComparison.Ordinal));
        Assert.True(files.Count >= 20, $"only {files.Count} corpus files were copied to the test output");
    }

    [Fact]
    public void LoadAndPlan_AValidSeed_PlansWithoutErrors()
    {
        // The target really loads and plans (a target that did nothing would pass the replay above).
        var bytes = File.ReadAllBytes(Path.Combine(CorpusDirectory, "email-summary.json"));

        Assert.Equal(0, LoadPlanTarget.ErrorCount(bytes));
    }

    [Theory]
    [InlineData("email-summary.json")]
    [InlineData("seed-step-id-output-variable.json")]
    [InlineData("seed-inline-conditional-bodies.json")]
    public void SerializeThenLoad_ALoadedSeed_LoadsAnEqualDefinition(string file)
    {
        // The round trip the target also drives: what Load made, Serialize saves and Load reads back unchanged.
        var loaded = WorkflowJson.Load(File.ReadAllBytes(Path.Combine(CorpusDirectory, file)));
        Assert.NotNull(loaded.Definition);

        var reloaded = WorkflowJson.Load(WorkflowJson.Serialize(loaded.Definition));

        Assert.Equal(loaded.Definition, reloaded.Definition);
    }
}
