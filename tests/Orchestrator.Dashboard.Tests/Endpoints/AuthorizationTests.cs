using System.Net;
using Orchestrator.Dashboard.Tests.Support;

namespace Orchestrator.Dashboard.Tests.Endpoints;

public sealed class AuthorizationTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/approvals")]
    [InlineData("/runs/any")]
    [InlineData("/assets/dashboard.js")]
    public async Task Dashboard_WithoutPolicy_RefusesEvenASignedInUser(string path)
    {
        await using var app = await DashboardApp.StartAsync(policy: false);

        using var response = await app.GetAsync(path, TestWorkflows.Approver);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("AuthorizationPolicy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decision_WithoutPolicy_IsRefusedAndNotRecorded()
    {
        await using var app = await DashboardApp.StartAsync(policy: false);
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        using var response = await app.DecideAsync("renewal-1", "review", TestWorkflows.Approver, approved: true, "ok");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty((await app.Store.LoadAsync("renewal-1"))!.ApprovalDecisions);
    }

    [Fact]
    public async Task Dashboard_WithPolicy_ChallengesAnAnonymousRequest()
    {
        await using var app = await DashboardApp.StartAsync();

        using var response = await app.GetAsync("/", user: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_WithPolicy_ServesAUserThePolicyAllows()
    {
        await using var app = await DashboardApp.StartAsync();

        using var response = await app.GetAsync("/", "bob");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
