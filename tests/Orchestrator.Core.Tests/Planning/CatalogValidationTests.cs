using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Planning;

public class CatalogValidationTests
{
    private static readonly InMemoryPluginCatalog s_catalog = new(
    [
        new PluginDescriptor
        {
            Name = "slack",
            Actions =
            [
                new PluginActionDescriptor
                {
                    Name = "send_message",
                    Parameters =
                    [
                        new PluginParameterDescriptor { Name = "channel", Required = true },
                        new PluginParameterDescriptor { Name = "text", Required = true },
                    ],
                },
            ],
        },
    ]);

    [Fact]
    public void Plan_ActionsTheCatalogDescribes_Pass()
    {
        var result = Workflows.Plan("""[ { "id": "s", "type": "action", "plugin": "slack", "action": "send_message", "params": { "channel": "#a", "text": "{{input.t}}" } } ]""", s_catalog);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Plan_UnknownPlugin_IsReportedAtThePluginField()
    {
        var result = Workflows.Plan("""[ { "id": "s", "type": "action", "plugin": "fax", "action": "send" } ]""", s_catalog);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnknownPlugin, "$[0].plugin"), (d.Code, d.Path));
    }

    [Fact]
    public void Plan_UnknownAction_NamesThePluginsActions()
    {
        var result = Workflows.Plan("""[ { "id": "s", "type": "action", "plugin": "slack", "action": "shout" } ]""", s_catalog);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownAction, d.Code);
        Assert.Contains("send_message", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_MissingRequiredParameters_AreEachReported()
    {
        var result = Workflows.Plan("""[ { "id": "s", "type": "action", "plugin": "slack", "action": "send_message", "params": { "colour": "red" } } ]""", s_catalog);

        Assert.Equal(2, result.Diagnostics.Count(d => d.Code == DiagnosticCodes.MissingParameter));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownParameter && d.Severity == DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Plan_RollbackActionIsCheckedToo()
    {
        var result = Workflows.Plan("""
            [ { "id": "s", "type": "action", "plugin": "slack", "action": "send_message", "params": { "channel": "#a", "text": "x" },
                "rollbackAction": { "plugin": "slack", "action": "unsend" } } ]
            """, s_catalog);

        Assert.Equal("$[0].rollbackAction.action", Assert.Single(result.Diagnostics).Path);
    }

    [Fact]
    public void Plan_ParametersGivenAsOneReference_AreNotCheckedByName()
    {
        var result = Workflows.Plan("""
            { "input_schema": [ { "name": "p" } ],
              "workflow_steps": [ { "id": "s", "type": "action", "plugin": "slack", "action": "send_message", "params": "{{input.p}}" } ] }
            """, s_catalog);

        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
    }

    [Fact]
    public void InMemoryPluginCatalog_DuplicatePlugin_Throws()
    {
        Assert.Throws<ArgumentException>(() => new InMemoryPluginCatalog([new PluginDescriptor { Name = "a" }, new PluginDescriptor { Name = "a" }]));
    }
}
