using System.Net;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Dashboard.Tests.Support;

namespace Orchestrator.Dashboard.Tests.Endpoints;

public sealed class ApprovalTests
{
    [Fact]
    public async Task Approve_AsTheListedApprover_IsRecordedAsThemAndTheRunContinues()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        using var response = await app.DecideAsync("renewal-1", "review", TestWorkflows.Approver, approved: true, "Looks right.");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"settled\":true", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var run = await app.WaitForAsync("renewal-1", CheckpointStatus.Finished);
        Assert.Equal(ExecutionStatus.Succeeded, run.Outcome);
        var decision = Assert.Single(run.ApprovalDecisions).Decision;
        Assert.Equal((TestWorkflows.Approver, true, "Looks right."), (decision.Approver, decision.Approved, decision.Comment));
        Assert.Equal(1, app.Plugins.Sent);
    }

    [Fact]
    public async Task Approve_AsAUserNotListed_IsRefusedAndNothingIsRecorded()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        using var response = await app.DecideAsync("renewal-1", "review", "mallory@example.org", approved: true, "let me in");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("'mallory@example.org' is not an approver of step 'review'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var run = await app.Store.LoadAsync("renewal-1");
        Assert.Equal(CheckpointStatus.Suspended, run!.Status);
        Assert.Empty(run.ApprovalDecisions);
    }

    [Fact]
    public async Task Approve_WithoutTheRequiredComment_IsRefused()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        using var response = await app.DecideAsync("renewal-1", "review", TestWorkflows.Approver, approved: true, comment: "  ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("requires a comment", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await app.Store.LoadAsync("renewal-1"))!.ApprovalDecisions);
    }

    [Fact]
    public async Task Decision_NotSentByThePage_IsRefused()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        using var response = await app.DecideAsync("renewal-1", "review", TestWorkflows.Approver, approved: true, "ok", fromPage: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await app.Store.LoadAsync("renewal-1"))!.ApprovalDecisions);
    }

    [Fact]
    public async Task Reject_AsTheApprover_EndsTheRunWithoutSending()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        using var response = await app.DecideAsync("renewal-1", "review", TestWorkflows.Approver, approved: false, "Not this month.");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = await app.WaitForAsync("renewal-1", CheckpointStatus.Finished);
        Assert.NotEqual(ExecutionStatus.Succeeded, run.Outcome);
        Assert.Equal(0, app.Plugins.Sent);
    }

    [Fact]
    public async Task Decision_OnAStepThatDoesNotWait_IsNotFound()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Billing, "billing-1");

        using var response = await app.DecideAsync("billing-1", "charge", TestWorkflows.Approver, approved: true, "ok");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{ \"approved\": \"yes\" }")]
    [InlineData("[]")]
    public async Task Decision_WithABadBody_IsABadRequestNamingTheShape(string body)
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");
        using var request = new HttpRequestMessage(HttpMethod.Post, DashboardApp.Prefix + "/runs/renewal-1/approvals/review")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(TestAuthHandler.Header, TestWorkflows.Approver);
        request.Headers.Add("X-Orchestrator-Dashboard", "1");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The body must be a JSON object", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalsPage_OffersTheButtonsToTheApproverOnly()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        var asApprover = await (await app.GetAsync("/approvals", TestWorkflows.Approver)).Content.ReadAsStringAsync();
        var asOther = await (await app.GetAsync("/approvals", "mallory@example.org")).Content.ReadAsStringAsync();

        Assert.Contains("Send the renewal offer?", asApprover, StringComparison.Ordinal);
        Assert.Contains("Offer for Ada Lovelace", asApprover, StringComparison.Ordinal);
        Assert.Contains("class=\"approve\"", asApprover, StringComparison.Ordinal);
        Assert.Contains("a comment is required", asApprover, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"approve\"", asOther, StringComparison.Ordinal);
        Assert.Contains("are not an approver of this step", asOther, StringComparison.Ordinal);
    }
}
