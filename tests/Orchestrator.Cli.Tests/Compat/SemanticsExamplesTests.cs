using System.Text.Json;
using Orchestrator.Cli.Tests.TestSupport;

namespace Orchestrator.Cli.Tests.Compat;

/// <summary>
/// Runs every check of <c>Fixtures/compat/semantics-examples.json</c> (a copy of the shared compat checks) through the
/// CLI's <c>run</c> in process, with empty plugin and LLM scripts, and compares as <c>run-checks.py</c> does: expected
/// <c>failed</c> accepts a failed or rejected run; each expected output must equal the run's output of that name
/// (numbers by value, booleans only equal booleans, object key order ignored). One case per check id, so each test
/// name says which operator, operation or condition form it pins.
/// </summary>
public sealed class SemanticsExamplesTests : IDisposable
{
    private static readonly Lazy<Dictionary<string, JsonElement>> s_checks = new(LoadChecks);

    private readonly TempDirectory _temp = new();

    public static TheoryData<string> CheckIds() => [.. s_checks.Value.Keys];

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(CheckIds))]
    public async Task Run_SemanticsExample_GivesTheIntendedStatusAndOutputs(string checkId)
    {
        var check = s_checks.Value[checkId];
        var workflow = _temp.Write("workflow.json", check.GetProperty("workflow").GetRawText());
        var inputs = _temp.Write("inputs.json", check.TryGetProperty("inputs", out var i) ? i.GetRawText() : "{}");
        var empty = _temp.Write("empty.json", "{}");

        var result = await CliRunner.RunAsync("run", workflow, "--inputs", inputs, "--plugins", empty, "--llm", empty, "--format", "json");

        var run = result.Json();
        var status = Normalize(run.TryGetProperty("status", out var s) ? s.ToString() : string.Empty);
        var expect = check.GetProperty("expect");
        var expectedStatus = expect.GetProperty("status").GetString()!;
        if (expectedStatus == "failed")
        {
            Assert.True(status is "failed" or "rejected", $"{checkId}: status '{status}', expected failed or rejected. {result.Stderr}");
            return;
        }

        Assert.True(status == Normalize(expectedStatus), $"{checkId}: status '{status}', expected '{expectedStatus}'. {result.Stdout} {result.Stderr}");
        if (!expect.TryGetProperty("outputs", out var outputs))
        {
            return;
        }

        var actual = run.TryGetProperty("outputs", out var o) ? o : default;
        foreach (var output in outputs.EnumerateObject())
        {
            var found = actual.ValueKind == JsonValueKind.Object && actual.TryGetProperty(output.Name, out var value);
            Assert.True(found, $"{checkId}: output '{output.Name}' is missing. {result.Stdout}");
            Assert.True(
                Same(actual.GetProperty(output.Name), output.Value),
                $"{checkId}: output '{output.Name}' is {actual.GetProperty(output.Name).GetRawText()}, expected {output.Value.GetRawText()}");
        }
    }

    /// <summary>run-checks.py's <c>same</c>: JSON equality, numbers by value, booleans only equal booleans, key order ignored.</summary>
    private static bool Same(JsonElement a, JsonElement b)
    {
        var ak = Kind(a.ValueKind);
        var bk = Kind(b.ValueKind);
        if (ak != bk)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return a.GetDouble() == b.GetDouble();
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.True or JsonValueKind.False:
                return a.ValueKind == b.ValueKind;
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }

                using (var left = a.EnumerateArray())
                using (var right = b.EnumerateArray())
                {
                    while (left.MoveNext() && right.MoveNext())
                    {
                        if (!Same(left.Current, right.Current))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case JsonValueKind.Object:
                var names = a.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                if (!names.SetEquals(b.EnumerateObject().Select(p => p.Name)))
                {
                    return false;
                }

                return names.All(n => Same(a.GetProperty(n), b.GetProperty(n)));
            default:
                return true; // null == null
        }
    }

    private static JsonValueKind Kind(JsonValueKind kind) => kind == JsonValueKind.False ? JsonValueKind.True : kind;

    private static string Normalize(string text) =>
        new string([.. text.Where(c => c is not ('_' or '-') && !char.IsWhiteSpace(c))]).ToLowerInvariant();

    private static Dictionary<string, JsonElement> LoadChecks()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(CliRunner.Fixture(Path.Combine("compat", "semantics-examples.json"))));
        var checks = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var check in document.RootElement.GetProperty("checks").EnumerateArray())
        {
            checks.Add(check.GetProperty("id").GetString()!, check.Clone());
        }

        return checks;
    }
}
