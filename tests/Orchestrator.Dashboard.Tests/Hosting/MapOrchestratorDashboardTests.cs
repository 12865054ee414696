using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Orchestrator.Dashboard.Hosting;

namespace Orchestrator.Dashboard.Tests.Hosting;

public sealed class MapOrchestratorDashboardTests
{
    public static TheoryData<string, Action<OrchestratorDashboardOptions>?, string> BadArguments => new()
    {
        { "orchestrator", null, "must start with '/'" },
        { "/orchestrator", o => o.MaxRuns = 0, "MaxRuns must be at least 1" },
        { "/orchestrator", o => o.RefreshInterval = TimeSpan.FromMilliseconds(10), "RefreshInterval must be at least 200 ms" },
        { "/orchestrator", o => o.ApproverName = null!, "ApproverName cannot be null" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task MapOrchestratorDashboard_BadArgument_ThrowsNamingIt(string prefix, Action<OrchestratorDashboardOptions>? configure, string expected)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var error = Assert.Throws<ArgumentException>(() => app.MapOrchestratorDashboard(prefix, configure));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
