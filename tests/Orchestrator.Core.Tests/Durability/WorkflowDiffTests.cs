using Orchestrator.Core.Durability;
using Orchestrator.Core.Model;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Durability;

public sealed class WorkflowDiffTests
{
    private const string Old = """
        { "agent_name": "digest", "workflow_steps": [
          { "id": "search", "type": "action", "plugin": "mail", "action": "search", "params": { "q": "is:unread" } },
          { "id": "approve", "type": "human_approval", "approvers": ["ana"], "dependencies": ["search"] },
          { "id": "send", "type": "action", "plugin": "mail", "action": "send", "params": { "body": "{{search.data}}" }, "dependencies": ["approve"] } ] }
        """;

    [Fact]
    public void Compare_SameDocumentWrittenDifferently_IsUnchanged()
    {
        var reformatted = Old.Replace("\"is:unread\" }", "\"is:unread\"   }", StringComparison.Ordinal).Replace("[\"ana\"]", "\"ana\"", StringComparison.Ordinal);

        var diff = WorkflowDiff.Compare(Workflows.Load(Old), Workflows.Load(reformatted));

        Assert.True(diff.Identical);
        Assert.Equal(ResumeCompatibility.Unchanged, diff.Resume);
        Assert.Empty(diff.AddedSteps);
        Assert.Empty(diff.RemovedSteps);
        Assert.Empty(diff.ChangedSteps);
        Assert.Empty(diff.ResumeNotes);
    }

    [Fact]
    public void Compare_ChangedParams_ListsTheStepAndItsField_AndNeedsAllowDefinitionChange()
    {
        var changed = Old.Replace("is:unread", "is:starred", StringComparison.Ordinal);

        var diff = WorkflowDiff.Compare(Workflows.Load(Old), Workflows.Load(changed));

        var change = Assert.Single(diff.ChangedSteps);
        Assert.Equal(("search", "action", "action"), (change.StepId, change.OldType, change.NewType));
        Assert.Equal(["params"], change.Fields);
        Assert.Equal(ResumeCompatibility.RequiresAllowDefinitionChange, diff.Resume);
        Assert.Contains("AllowDefinitionChange", diff.ResumeReason, StringComparison.Ordinal);
        Assert.Contains(diff.OldHash, diff.ResumeReason, StringComparison.Ordinal);
        Assert.Contains(diff.ResumeNotes, n => n.Contains("keep their old outputs", StringComparison.Ordinal) && n.Contains("search", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_AddedAndRemovedSteps_AreListedInDocumentOrder_WithTheApprovalCaveat()
    {
        var changed = """
            { "agent_name": "digest", "workflow_steps": [
              { "id": "search", "type": "action", "plugin": "mail", "action": "search", "params": { "q": "is:unread" } },
              { "id": "summarise", "type": "ai_processing", "prompt": "Summarise {{search.data}}" },
              { "id": "send", "type": "action", "plugin": "mail", "action": "send", "params": { "body": "{{summarise.data}}" } } ] }
            """;

        var diff = WorkflowDiff.Compare(Workflows.Load(Old), Workflows.Load(changed));

        Assert.Equal(["summarise"], diff.AddedSteps);
        Assert.Equal(["approve"], diff.RemovedSteps);
        Assert.Equal(["params", "dependencies"], Assert.Single(diff.ChangedSteps).Fields);
        Assert.Equal(ResumeCompatibility.RequiresAllowDefinitionChange, diff.Resume);
        Assert.Contains(diff.ResumeNotes, n => n.Contains("removed approval", StringComparison.Ordinal) && n.Contains("approve", StringComparison.Ordinal));
        Assert.Contains(diff.ResumeNotes, n => n.StartsWith("Added steps", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_ChangedType_ReportsBothTypes()
    {
        var changed = Old.Replace("""{ "id": "approve", "type": "human_approval", "approvers": ["ana"], "dependencies": ["search"] }""", """{ "id": "approve", "type": "delay", "duration": 10, "dependencies": ["search"] }""", StringComparison.Ordinal);

        var change = Assert.Single(WorkflowDiff.Compare(Workflows.Load(Old), Workflows.Load(changed)).ChangedSteps);

        Assert.Equal(("human_approval", "delay"), (change.OldType, change.NewType));
        Assert.Contains("approvers", change.Fields);
        Assert.Contains("duration", change.Fields);
    }

    [Fact]
    public void Compare_NewDefinitionThatDoesNotPlan_IsRefused_WithItsErrors()
    {
        var broken = Old.Replace("\"dependencies\": [\"approve\"]", "\"dependencies\": [\"nowhere\"]", StringComparison.Ordinal);

        var diff = WorkflowDiff.Compare(Workflows.Load(Old), Workflows.Load(broken));

        Assert.Equal(ResumeCompatibility.Refused, diff.Resume);
        Assert.Contains(diff.NewDiagnostics, d => d.IsError && d.StepId == "send");
        Assert.Empty(diff.ResumeNotes);
    }

    [Fact]
    public void Compare_AgentLevelChange_IsListedApartFromSteps()
    {
        var renamed = Old.Replace("\"digest\"", "\"daily digest\"", StringComparison.Ordinal);

        var diff = WorkflowDiff.Compare(Workflows.Load(Old), Workflows.Load(renamed));

        Assert.Equal(["agent_name"], diff.ChangedFields);
        Assert.Empty(diff.ChangedSteps);
        Assert.Equal(ResumeCompatibility.RequiresAllowDefinitionChange, diff.Resume);
    }

    [Fact]
    public void Compare_NullArguments_Throw()
    {
        var definition = Workflows.Load(Old);

        Assert.Throws<ArgumentNullException>(() => WorkflowDiff.Compare(null!, definition));
        Assert.Throws<ArgumentNullException>(() => WorkflowDiff.Compare(definition, null!));
    }
}
