using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Planning;

/// <summary>
/// How the planner reads a scatter-gather's data: the gathered list itself, whose items hold the inner steps' data by
/// step id, named by <c>gather.outputKey</c> like an output variable; references into it are checked like any other.
/// </summary>
public class ScatterDataPlanningTests
{
    private static string Scatter(string gather) => $$$"""
        { "id": "classify_all", "type": "scatter_gather",
          "scatter": { "input": "{{input.mails}}", "itemVariable": "mail", "steps": [
            { "id": "classify", "type": "action", "plugin": "mail", "action": "classify", "params": { "text": "{{mail}}" },
              "output_schema": { "type": "object", "properties": { "category": { "type": "string" } } } },
            { "id": "summarize", "type": "action", "plugin": "mail", "action": "summarize", "params": { "text": "{{mail}}" } } ] },
          "gather": {{{gather}}} }
        """;

    private static string Consumer(string text) =>
        $$"""{ "id": "post", "type": "action", "plugin": "chat", "action": "send", "params": { "text": "{{text}}" } }""";

    private static string Document(string scatter, string consumer) => "[ " + scatter + ", " + consumer + " ]";

    [Theory]
    [InlineData("{{classify_all.data[0].classify.category}}")]
    [InlineData("{{classify_all.data[0].summarize.anything}}")]
    [InlineData("{{classify_all.data[1].error}}")]
    [InlineData("{{classify_all.data.length}}")]
    [InlineData("{{classify_all.data}}")]
    [InlineData("{{emails[0].classify.category}}")]
    public void Plan_ReferenceIntoTheGatheredItems_IsAcceptedWithoutWarning(string reference)
    {
        var result = Workflows.Plan(Document(Scatter("""{ "operation": "collect", "outputKey": "emails" }"""), Consumer(reference)));

        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.PathNotInOutputSchema);
    }

    [Theory]
    [InlineData("{{classify_all.data[0].clasify.category}}", "'classify'")]
    [InlineData("{{classify_all.data[0].classify.categry}}", "'category'")]
    [InlineData("{{emails[0].sumarize}}", "'summarize'")]
    public void Plan_ReferenceToAnInnerStepTheScatterDoesNotGather_WarnsWithTheClosestName(string reference, string suggestion)
    {
        var result = Workflows.Plan(Document(Scatter("""{ "operation": "collect", "outputKey": "emails" }"""), Consumer(reference)));

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.PathNotInOutputSchema);
        Assert.Equal(("post", "$[1].params.text"), (warning.StepId, warning.Path));
        Assert.Contains("did you mean " + suggestion, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ReadingTheOldOutputKeyWrapper_WarnsThatTheDataIsTheListItself()
    {
        var result = Workflows.Plan(Document(Scatter("""{ "operation": "collect", "outputKey": "emails" }"""), Consumer("{{classify_all.data.emails}}")));

        var warning = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.PathNotInOutputSchema);
        Assert.Contains("gathered list itself", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{classify_all.data[0].summarize.data.text}}", "'.data'")]
    [InlineData("{{classify_all.data[0].classify.metadata.success}}", "'.metadata'")]
    public void Plan_ReadingTheOldItemShape_WarnsThatAnItemHoldsTheDataItself(string reference, string leaveOut)
    {
        var result = Workflows.Plan(Document(Scatter("""{ "operation": "collect" }"""), Consumer(reference)));

        var warning = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.PathNotInOutputSchema);
        Assert.Contains("leave " + leaveOut + " out", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_MergeGather_ChecksTheMergedObjectByInnerStepId()
    {
        var result = Workflows.Plan(Document(Scatter("""{ "operation": "merge" }"""), Consumer("{{classify_all.data.clasify}}")));

        var warning = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.PathNotInOutputSchema);
        Assert.Contains("did you mean 'classify'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_GatherFrom_LeavesTheItemsUnchecked()
    {
        var result = Workflows.Plan(Document(Scatter("""{ "operation": "collect", "from": "classify.category" }"""), Consumer("{{classify_all.data[0].anything}}")));

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.PathNotInOutputSchema);
    }

    [Fact]
    public void Plan_ReferenceToTheOutputKey_MakesTheReaderWaitForTheScatter()
    {
        var plan = Workflows.PlanOrFail("[ " + Consumer("{{emails}}") + ", " + Scatter("""{ "operation": "collect", "outputKey": "emails" }""") + " ]");

        Assert.Equal(["classify_all"], plan.DependencyIds("post"));
    }

    [Fact]
    public void Plan_OutputKeyNamedLikeAStep_IsAnErrorAtTheOutputKey()
    {
        var result = Workflows.Plan(Document(Scatter("""{ "operation": "collect", "outputKey": "post" }"""), Consumer("x")));

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal((DiagnosticCodes.OutputVariableClash, "classify_all", "$[0].gather.outputKey"), (error.Code, error.StepId, error.Path));
    }

    [Fact]
    public void Plan_OutputKeyEqualToTheOutputVariable_IsOneName()
    {
        var scatter = Scatter("""{ "operation": "collect", "outputKey": "emails" }""")
            .Replace("\"type\": \"scatter_gather\",", "\"type\": \"scatter_gather\", \"output_variable\": \"emails\",", StringComparison.Ordinal);
        var result = Workflows.Plan(Document(scatter, Consumer("{{emails}}")));

        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics));
    }
}
