using System.Text.Json;

namespace Orchestrator.Cli.Tests.Compat;

/// <summary>
/// What one stored document (Fixtures/compat/documents) must do here, read from its
/// Fixtures/compat/expectations/NAME.expected.json: how it loads and plans, and for a scripted document what a dry run
/// must call. The expectations come from the reference runtime's runs (Fixtures/compat/reference-runs) with its bugs
/// corrected; each correction is written in the file with its reason.
/// </summary>
internal sealed record StoredDocumentExpectation
{
    /// <summary>The folder of the copied compat material (documents, scripts, reference-runs, expectations).</summary>
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat");

    private static readonly JsonDocumentOptions s_options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The document's file name (in documents/).</summary>
    public required string Document { get; init; }

    /// <summary>True when loading and planning must report no error at all.</summary>
    public required bool PlanClean { get; init; }

    /// <summary>For a document that is itself wrong: the JSON path prefixes its errors must all be under.</summary>
    public required IReadOnlyList<string> ErrorsOnlyUnder { get; init; }

    /// <summary>Why the document is wrong (null for a clean one).</summary>
    public string? DocumentError { get; init; }

    /// <summary>The dry run, for a scripted document; null otherwise.</summary>
    public StoredDocumentRun? Run { get; init; }

    /// <summary>The full path of the document.</summary>
    public string DocumentPath => Path.Combine(Root, "documents", Document);

    /// <summary>The names of every document, one test case each.</summary>
    public static TheoryData<string> Documents() => AsTheoryData(DocumentNames());

    /// <summary>The names of the documents whose expectation has a dry run.</summary>
    public static TheoryData<string> ScriptedDocuments() => AsTheoryData(DocumentNames().Where(name => Load(name).Run is not null));

    /// <summary>The names (without .json) of the documents, in order.</summary>
    public static IEnumerable<string> DocumentNames() =>
        Directory.EnumerateFiles(Path.Combine(Root, "documents"), "*.json")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Order(StringComparer.Ordinal);

    private static TheoryData<string> AsTheoryData(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (var name in names)
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>Reads the expectation of one document.</summary>
    public static StoredDocumentExpectation Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "expectations", name + ".expected.json")), s_options);
        var root = document.RootElement;
        var plan = root.GetProperty("plan");
        return new StoredDocumentExpectation
        {
            Document = root.GetProperty("document").GetString()!,
            PlanClean = plan.GetProperty("clean").GetBoolean(),
            ErrorsOnlyUnder = plan.TryGetProperty("errors_only_under", out var under) ? [.. under.EnumerateArray().Select(e => e.GetString()!)] : [],
            DocumentError = plan.TryGetProperty("document_error", out var why) ? why.GetString() : null,
            Run = root.TryGetProperty("run", out var run) ? StoredDocumentRun.Read(run) : null,
        };
    }
}

/// <summary>The dry run of a scripted stored document: its script files and what it must give.</summary>
internal sealed record StoredDocumentRun
{
    /// <summary>The plugins script (in scripts/).</summary>
    public required string Plugins { get; init; }

    /// <summary>The LLM script, or null.</summary>
    public string? Llm { get; init; }

    /// <summary>The inputs file, or null.</summary>
    public string? Inputs { get; init; }

    /// <summary>The run's status on the CLI's wire (<c>succeeded</c>).</summary>
    public required string Status { get; init; }

    /// <summary>How many LLM calls the document's steps make.</summary>
    public required int LlmCalls { get; init; }

    /// <summary>The tokens of those calls (as scripted).</summary>
    public required long TotalTokens { get; init; }

    /// <summary>True when the calls must come in this order; false when they are compared as a multiset.</summary>
    public required bool Ordered { get; init; }

    /// <summary>Every plugin call, with its parameters (the idempotency key is not a parameter).</summary>
    public required IReadOnlyList<RecordedPluginCall> Calls { get; init; }

    /// <summary>Parameter names not compared (each with its reason in the file).</summary>
    public required IReadOnlyList<string> IgnoreParams { get; init; }

    /// <summary>Path of a script file, or null.</summary>
    public static string? ScriptPath(string? name) => name is null ? null : Path.Combine(StoredDocumentExpectation.Root, "scripts", name);

    /// <summary>Reads the <c>run</c> object of an expectation.</summary>
    public static StoredDocumentRun Read(JsonElement run) => new()
    {
        Plugins = run.GetProperty("plugins").GetString()!,
        Llm = run.GetProperty("llm").GetString(),
        Inputs = run.GetProperty("inputs").GetString(),
        Status = run.GetProperty("status").GetString()!,
        LlmCalls = run.GetProperty("llm_calls").GetInt32(),
        TotalTokens = run.GetProperty("total_tokens").GetInt64(),
        Ordered = run.GetProperty("ordered").GetBoolean(),
        Calls = [.. run.GetProperty("calls").EnumerateArray().Select(c => new RecordedPluginCall(
            c.GetProperty("plugin").GetString()!,
            c.GetProperty("action").GetString()!,
            CanonicalJson.Write(c.GetProperty("params"), [])))],
        IgnoreParams = run.TryGetProperty("ignore_params", out var ignore) ? [.. ignore.EnumerateArray().Select(e => e.GetString()!)] : [],
    };
}
