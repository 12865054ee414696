using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;
using Orchestrator.Mcp.Tests.TestSupport;

namespace Orchestrator.Mcp.Tests;

/// <summary>The planner checks action steps against the tools and input schemas a real MCP server listed.</summary>
public class PlannerValidationTests
{
    private static async Task<PlanningResult> PlanAsync(string steps)
    {
        await using var fixture = await McpFixture.StartAsync();
        var loaded = WorkflowJson.Load(steps);
        Assert.True(loaded.Succeeded, string.Join(Environment.NewLine, loaded.Diagnostics));
        return new WorkflowPlanner(fixture.Catalog).Plan(loaded.Definition!);
    }

    [Fact]
    public async Task Plan_StepMatchingAToolsSchema_Passes()
    {
        var result = await PlanAsync("""[ { "id": "find", "type": "action", "plugin": "mail", "action": "search_emails", "params": { "query": "is:unread" } } ]""");

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public async Task Plan_ToolTheServerDoesNotList_IsAnUnknownActionNamingTheTools()
    {
        var result = await PlanAsync("""[ { "id": "find", "type": "action", "plugin": "mail", "action": "search_mail", "params": { "query": "x" } } ]""");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnknownAction, "$.workflow_steps[0].action"), (d.Code, d.Path));
        Assert.Contains("search_emails", d.Message, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Plan_RequiredArgumentMissing_IsAMissingParameter()
    {
        var result = await PlanAsync("""[ { "id": "find", "type": "action", "plugin": "mail", "action": "search_emails", "params": { "limit": 3 } } ]""");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.MissingParameter, d.Code);
        Assert.Contains("query", d.Message, StringComparison.Ordinal);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Plan_ArgumentTheSchemaDoesNotHave_IsOnlyAWarning()
    {
        var result = await PlanAsync("""[ { "id": "find", "type": "action", "plugin": "mail", "action": "search_emails", "params": { "query": "x", "colour": "red" } } ]""");

        Assert.True(result.Succeeded);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnknownParameter, DiagnosticSeverity.Warning), (d.Code, d.Severity));
    }

    [Fact]
    public async Task Plan_ServerNotConfigured_IsAnUnknownPlugin()
    {
        var result = await PlanAsync("""[ { "id": "post", "type": "action", "plugin": "slack", "action": "send_message" } ]""");

        Assert.Equal(DiagnosticCodes.UnknownPlugin, Assert.Single(result.Diagnostics).Code);
    }
}
