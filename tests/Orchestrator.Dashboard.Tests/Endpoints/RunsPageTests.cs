using System.Net;
using Orchestrator.Dashboard.Tests.Support;

namespace Orchestrator.Dashboard.Tests.Endpoints;

public sealed class RunsPageTests
{
    [Fact]
    public async Task RunsPage_ListsEachRunWithStatusAgentUserTokensAndCost()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");
        await app.RunAsync(TestWorkflows.Billing, "billing-1");

        var html = await (await app.GetAsync("/", "bob")).Content.ReadAsStringAsync();

        var renewal = Row(html, "renewal-1");
        Assert.Contains("Renewal offer", renewal, StringComparison.Ordinal);
        Assert.Contains("renewal-agent", renewal, StringComparison.Ordinal);
        Assert.Contains(">bob<", renewal, StringComparison.Ordinal);
        Assert.Contains("status-suspended", renewal, StringComparison.Ordinal);
        Assert.Contains("1 approval(s) pending", renewal, StringComparison.Ordinal);
        Assert.Contains(">1,500<", renewal, StringComparison.Ordinal);      // 1,200 in + 300 out
        Assert.Contains(">$0.006000<", renewal, StringComparison.Ordinal);  // 1,200 x $2.50/M + 300 x $10/M
        Assert.Contains("status-failed", Row(html, "billing-1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsPage_ListsTheNewestRunFirst()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Billing, "a-older");
        await app.RunAsync(TestWorkflows.Billing, "b-newer");

        var html = await (await app.GetAsync("/", "bob")).Content.ReadAsStringAsync();

        Assert.True(html.IndexOf("data-run=\"b-newer\"", StringComparison.Ordinal) < html.IndexOf("data-run=\"a-older\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("?status=failed", "billing-1", "renewal-1")]
    [InlineData("?status=suspended", "renewal-1", "billing-1")]
    [InlineData("?agent=renewal-agent", "renewal-1", "billing-1")]
    [InlineData("?status=finished&agent=billing-agent", "billing-1", "renewal-1")]
    public async Task RunsPage_Filters_ShowOnlyMatchingRuns(string query, string shown, string hidden)
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");
        await app.RunAsync(TestWorkflows.Billing, "billing-1");

        var html = await (await app.GetAsync("/fragments/runs" + query, "bob")).Content.ReadAsStringAsync();

        Assert.Contains($"data-run=\"{shown}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-run=\"{hidden}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsPage_StoreWithoutRecentRunsQuery_ListsByStatusAndSaysSo()
    {
        await using var app = await DashboardApp.StartAsync(store: new ListOnlyCheckpointStore());
        await app.RunAsync(TestWorkflows.Billing, "billing-1");

        var html = await (await app.GetAsync("/", "bob")).Content.ReadAsStringAsync();

        Assert.Contains("data-run=\"billing-1\"", html, StringComparison.Ordinal);
        Assert.Contains("lists runs only by status, oldest first", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsPage_WithoutCheckpointStore_SaysWhatToRegister()
    {
        await using var app = await DashboardApp.StartAsync(withStore: false);

        using var response = await app.GetAsync("/", "bob");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("No checkpoint store is registered", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Row(string html, string executionId)
    {
        var start = html.IndexOf($"<tr data-run=\"{executionId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for {executionId}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }
}
