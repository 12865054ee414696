using System.Net;
using Orchestrator.Core.Ports;
using Orchestrator.Dashboard.Tests.Support;

namespace Orchestrator.Dashboard.Tests.Endpoints;

public sealed class RunPageTests
{
    [Fact]
    public async Task RunPage_ShowsThePlanGraphColouredByStepStatus()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        var html = await (await app.GetAsync("/runs/renewal-1", "bob")).Content.ReadAsStringAsync();

        Assert.Contains("<pre class=\"mermaid\">flowchart TD", html, StringComparison.Ordinal);
        Assert.Contains("class n0,n1 succeeded", html, StringComparison.Ordinal);
        Assert.Contains("class n2 suspended", html, StringComparison.Ordinal);
        Assert.Contains("/assets/mermaid.min.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPage_ShowsEachStepWithStatusAttemptsTokensAndError()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Billing, "billing-1");

        var html = await (await app.GetAsync("/runs/billing-1", "bob")).Content.ReadAsStringAsync();

        Assert.Contains("status-failed", html, StringComparison.Ordinal);
        Assert.Contains("CARD_DECLINED: The card was declined.", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"run-error\">", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-step=\"lookup\">", html, StringComparison.Ordinal);
        Assert.Contains("class=\"gantt-row\" data-step=\"lookup\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPage_ShowsTokensOfTheLlmStepAndTheAuditTrail()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        var html = await (await app.GetAsync("/runs/renewal-1", "bob")).Content.ReadAsStringAsync();

        Assert.Contains("1,200 / 300", html, StringComparison.Ordinal);
        Assert.Contains("test-model", html, StringComparison.Ordinal);
        Assert.Contains("ORCHESTRATOR_EXECUTION_STARTED", html, StringComparison.Ordinal);
        Assert.Contains("<table class=\"audit\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPage_RedactsSecretsInOutputs()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");

        var html = await (await app.GetAsync("/runs/renewal-1", "bob")).Content.ReadAsStringAsync();

        Assert.Contains("Ada Lovelace", html, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", html, StringComparison.Ordinal);
        Assert.DoesNotContain(TestPlugins.Secret, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPage_ResumedRun_ListsItsAuditTrailInTheOrderItHappened()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");
        await app.DecideAsync("renewal-1", "review", TestWorkflows.Approver, approved: true, "fine");
        await app.WaitForAsync("renewal-1", CheckpointStatus.Finished);

        // The audit trail reaches its sink after the run's end is stored (the trail is written off the step path):
        // look again until the last event is there, within a bound.
        var html = await (await app.GetAsync("/runs/renewal-1", "bob")).Content.ReadAsStringAsync();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (!html.Contains("ORCHESTRATOR_EXECUTION_COMPLETED", StringComparison.Ordinal) && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
            html = await (await app.GetAsync("/runs/renewal-1", "bob")).Content.ReadAsStringAsync();
        }

        var order = new[] { "ORCHESTRATOR_EXECUTION_STARTED", "ORCHESTRATOR_EXECUTION_SUSPENDED", "ORCHESTRATOR_EXECUTION_RESUMED", "ORCHESTRATOR_EXECUTION_COMPLETED" }
            .Select(kind => html.IndexOf(kind, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task RunPage_UnknownRun_IsNotFoundWithAReason()
    {
        await using var app = await DashboardApp.StartAsync();

        using var response = await app.GetAsync("/runs/nope", "bob");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("has no run", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunVersion_ChangesWhenTheRunChanges()
    {
        await using var app = await DashboardApp.StartAsync();
        await app.RunAsync(TestWorkflows.Renewal, "renewal-1");
        var before = await (await app.GetAsync("/runs/renewal-1/version", "bob")).Content.ReadAsStringAsync();

        await app.DecideAsync("renewal-1", "review", TestWorkflows.Approver, approved: true, "fine");
        await app.WaitForAsync("renewal-1", CheckpointStatus.Finished);
        var after = await (await app.GetAsync("/runs/renewal-1/version", "bob")).Content.ReadAsStringAsync();

        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Assets_ServeTheEmbeddedMermaidScript()
    {
        await using var app = await DashboardApp.StartAsync();

        using var response = await app.GetAsync("/assets/mermaid.min.js", "bob");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1_000_000);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("/assets/other.js", "bob")).StatusCode);
    }
}
