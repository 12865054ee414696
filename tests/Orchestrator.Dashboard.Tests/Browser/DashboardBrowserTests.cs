using Microsoft.Playwright;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Dashboard.Tests.Support;

namespace Orchestrator.Dashboard.Tests.Browser;

/// <summary>What a person sees in a real browser: statuses, the plan drawn by Mermaid, an approval done by clicking.</summary>
public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task RunsPage_ShowsEachRunsStatusAsAPersonSeesIt()
    {
        await using var app = await DashboardApp.StartAsync(kestrel: true);
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");
        await app.RunAsync(TestWorkflows.Billing, "billing-1");
        await using var chromium = await SystemChromium.LaunchAsync();
        await chromium.SignInAsync(app.BaseAddress, "bob");
        var page = await chromium.Context.NewPageAsync();

        await page.GotoAsync(app.BaseAddress + DashboardApp.Prefix + "/");

        Assert.Equal("suspended", await page.Locator("tr[data-run='renewal-1'] .badge").InnerTextAsync());
        Assert.Equal("failed", await page.Locator("tr[data-run='billing-1'] .badge").InnerTextAsync());
        Assert.True(await page.Locator("tr[data-run='renewal-1']").GetByText("Renewal offer").IsVisibleAsync());
        await SystemChromium.ScreenshotAsync(page, "runs.png");
    }

    [Fact]
    public async Task RunsPage_ShowsANewRunWithoutReloading()
    {
        await using var app = await DashboardApp.StartAsync(kestrel: true, configure: o => o.RefreshInterval = TimeSpan.FromMilliseconds(300));
        await using var chromium = await SystemChromium.LaunchAsync();
        await chromium.SignInAsync(app.BaseAddress, "bob");
        var page = await chromium.Context.NewPageAsync();
        await page.GotoAsync(app.BaseAddress + DashboardApp.Prefix + "/");
        Assert.Equal(0, await page.Locator("tr[data-run='billing-1']").CountAsync());

        await app.RunAsync(TestWorkflows.Billing, "billing-1");

        await Assertions.Expect(page.Locator("tr[data-run='billing-1'] .badge")).ToHaveTextAsync("failed", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task RunPage_DrawsThePlanGraphAndTheTimeline()
    {
        await using var app = await DashboardApp.StartAsync(kestrel: true);
        await app.RunAsync(TestWorkflows.Billing, "billing-1");
        await using var chromium = await SystemChromium.LaunchAsync();
        await chromium.SignInAsync(app.BaseAddress, "bob");
        var page = await chromium.Context.NewPageAsync();

        await page.GotoAsync(app.BaseAddress + DashboardApp.Prefix + "/runs/billing-1");

        await Assertions.Expect(page.Locator("#graph")).ToHaveAttributeAsync("data-rendered", "true");
        var graph = page.Locator("#graph svg");
        Assert.Equal(1, await graph.CountAsync());
        Assert.Contains("lookup (action)", await graph.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("charge (action)", await graph.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator(".gantt-row").CountAsync());
        Assert.Contains("CARD_DECLINED", await page.Locator("tr[data-step='charge']").InnerTextAsync(), StringComparison.Ordinal);
        await SystemChromium.ScreenshotAsync(page, "run-failed.png");
    }

    [Fact]
    public async Task Approval_DoneByClicking_ContinuesTheRunAndThePageShowsIt()
    {
        await using var app = await DashboardApp.StartAsync(kestrel: true, configure: o => o.RefreshInterval = TimeSpan.FromMilliseconds(300));
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");
        await using var chromium = await SystemChromium.LaunchAsync();
        await chromium.SignInAsync(app.BaseAddress, TestWorkflows.Approver);
        var page = await chromium.Context.NewPageAsync();
        await page.GotoAsync(app.BaseAddress + DashboardApp.Prefix + "/runs/renewal-1");
        await Assertions.Expect(page.Locator("#graph")).ToHaveAttributeAsync("data-rendered", "true");
        await SystemChromium.ScreenshotAsync(page, "run-waiting-for-approval.png");

        // The comment is required: clicking without one is refused on the page, and nothing is recorded.
        await page.Locator("section.approval button.approve").ClickAsync();
        await Assertions.Expect(page.Locator("section.approval .result")).ToHaveTextAsync("This approval requires a comment.");
        Assert.Empty((await app.Store.LoadAsync("renewal-1"))!.ApprovalDecisions);

        await page.Locator("section.approval textarea").FillAsync("Renewal price checked.");
        await page.Locator("section.approval button.approve").ClickAsync();

        // The page refreshes itself once the resumed run has finished.
        await Assertions.Expect(page.Locator("h1 .badge")).ToHaveTextAsync("succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("tr[data-step='send'] .badge")).ToHaveTextAsync("succeeded");
        var run = await app.WaitForAsync("renewal-1", CheckpointStatus.Finished);
        Assert.Equal(ExecutionStatus.Succeeded, run.Outcome);
        Assert.Equal(TestWorkflows.Approver, Assert.Single(run.ApprovalDecisions).Decision.Approver);
        await Assertions.Expect(page.Locator("#graph")).ToHaveAttributeAsync("data-rendered", "true");
        await SystemChromium.ScreenshotAsync(page, "run-approved.png");
    }

    [Fact]
    public async Task ApprovalsPage_ForAUserNotListed_ShowsNoButtons()
    {
        await using var app = await DashboardApp.StartAsync(kestrel: true);
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");
        await using var chromium = await SystemChromium.LaunchAsync();
        await chromium.SignInAsync(app.BaseAddress, "mallory@example.org");
        var page = await chromium.Context.NewPageAsync();

        await page.GotoAsync(app.BaseAddress + DashboardApp.Prefix + "/approvals");

        Assert.True(await page.GetByText("Send the renewal offer?").IsVisibleAsync());
        Assert.Equal(0, await page.Locator("button.approve").CountAsync());
        Assert.True(await page.GetByText("You (mallory@example.org) are not an approver of this step.").IsVisibleAsync());
        await SystemChromium.ScreenshotAsync(page, "approvals-not-an-approver.png");
    }
}
