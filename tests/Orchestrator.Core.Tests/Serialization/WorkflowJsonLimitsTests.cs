using System.Text.Json;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

/// <summary>The loader's side of <see cref="ExecutionLimits"/>: depth checked before anything walks a step.</summary>
public class WorkflowJsonLimitsTests
{
    /// <summary>Loops nested <paramref name="levels"/> deep (two JSON levels each), the innermost with an unknown field.</summary>
    private static string NestedLoops(int levels)
    {
        var json = """{ "id": "inner", "type": "delay", "duration": 1, "surprise": true }""";
        for (var i = levels; i >= 1; i--)
        {
            json = $$"""{ "id": "l{{i}}", "type": "loop", "iterateOver": [1], "loopSteps": [ {{json}} ] }""";
        }

        return "[ " + json + " ]";
    }

    [Theory]
    [InlineData(40)]
    [InlineData(5_000)]
    public void LoadElement_StepsNestedPastTheDataDepth_ReportsLimitExceededBeforeWalkingThem(int levels)
    {
        // 10,000 nested containers overflowed the stack in the unknown-field walk; the depth is now refused first, so
        // the innermost step's unknown field is never reached (no warning for it).
        using var document = JsonDocument.Parse(NestedLoops(levels), new JsonDocumentOptions { MaxDepth = 20_000 });

        var result = WorkflowJson.Load(document.RootElement);

        var d = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.LimitExceeded);
        Assert.Equal("l1", d.StepId);
        Assert.StartsWith("$[0].loopSteps[0].loopSteps[0]", d.Path, StringComparison.Ordinal);
        Assert.Contains(nameof(ExecutionLimits.DataDepthCeiling), d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);
    }

    [Fact]
    public void LoadElement_StepsNestedWithinTheDataDepth_LoadWithTheirWarnings()
    {
        using var document = JsonDocument.Parse(NestedLoops(20));

        var result = WorkflowJson.Load(document.RootElement);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);
    }

    [Fact]
    public void Load_StepWithCommentsAndTrailingCommas_IsNotMistakenForTooDeep()
    {
        var result = WorkflowJson.Load("""[ { "id": "a", /* note */ "type": "delay", "duration": 1, "metadata": { "x": [1, 2,], }, } ]""");

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
    }
}
