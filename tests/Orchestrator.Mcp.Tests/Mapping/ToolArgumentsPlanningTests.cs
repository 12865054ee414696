using System.Text.Json;
using Orchestrator.Mcp.Mapping;

namespace Orchestrator.Mcp.Tests.Mapping;

/// <summary>The plan-time check of a step's arguments against a tool's input schema (<see cref="ToolArguments.CheckPlanned"/>).</summary>
public class ToolArgumentsPlanningTests
{
    private static readonly ToolArguments s_strict = ToolArguments.TryCreate(JsonElement.Parse("""
        { "type": "object",
          "properties": { "path": { "type": "string" }, "mode": { "enum": ["r", "w"] }, "lines": { "type": "array", "items": { "type": "integer" } } },
          "required": ["path"],
          "additionalProperties": false }
        """), "files", "read")!;

    [Fact]
    public void CheckPlanned_NameTheSchemaForbids_IsRefusedEvenWhenItsValueIsComputed()
    {
        var problems = s_strict.CheckPlanned(new Dictionary<string, JsonElement?> { ["path"] = null, ["colour"] = null });

        var problem = Assert.Single(problems);
        Assert.Equal("colour", problem.Argument);
        Assert.Contains("additionalProperties", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPlanned_LiteralNameTheSchemaForbids_IsRefused()
    {
        var problems = s_strict.CheckPlanned(new Dictionary<string, JsonElement?> { ["path"] = Json("\"a.txt\""), ["colour"] = Json("\"red\"") });

        Assert.Equal("colour", Assert.Single(problems).Argument);
    }

    [Fact]
    public void CheckPlanned_ProblemDeepInsideAnArgument_IsReportedOnThatArgumentWithItsLocation()
    {
        var problems = s_strict.CheckPlanned(new Dictionary<string, JsonElement?> { ["path"] = Json("\"a.txt\""), ["lines"] = Json("[1, \"two\"]") });

        var problem = Assert.Single(problems);
        Assert.Equal("lines", problem.Argument);
        Assert.StartsWith("/lines/1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPlanned_RequiredArgumentComputedAtRunTime_IsNotAProblem()
    {
        var problems = s_strict.CheckPlanned(new Dictionary<string, JsonElement?> { ["path"] = null, ["mode"] = Json("\"r\"") });

        Assert.Empty(problems);
    }

    [Fact]
    public void CheckPlanned_ValueOutsideTheEnum_IsRefused()
    {
        var problems = s_strict.CheckPlanned(new Dictionary<string, JsonElement?> { ["path"] = Json("\"a\""), ["mode"] = Json("\"x\"") });

        Assert.Equal("mode", Assert.Single(problems).Argument);
    }

    private static JsonElement Json(string text) => JsonElement.Parse(text);
}
