using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Usage;
using Orchestrator.Dashboard.Hosting;

namespace Orchestrator.Dashboard.Tests.Support;

/// <summary>
/// A real ASP.NET Core app hosting the orchestrator (in-memory checkpoint store and audit sink, the test plugins and
/// LLM) with the dashboard mounted at <c>/orchestrator</c>: in memory (TestServer) for endpoint tests, on a loopback
/// port (Kestrel) for the browser.
/// </summary>
internal sealed class DashboardApp : IAsyncDisposable
{
    public const string Policy = "dashboard-users";
    public const string Prefix = "/orchestrator";

    private readonly WebApplication _app;

    private DashboardApp(WebApplication app, string baseAddress, HttpClient client)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = client;
    }

    /// <summary>The app's address (<c>http://127.0.0.1:port</c> on Kestrel).</summary>
    public string BaseAddress { get; }

    /// <summary>A client of the app (anonymous: add the <see cref="TestAuthHandler.Header"/> header to sign in).</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public IWorkflowOrchestrator Orchestrator => Services.GetRequiredService<IWorkflowOrchestrator>();

    public ICheckpointStore Store => Services.GetRequiredService<ICheckpointStore>();

    public TestPlugins Plugins => Services.GetRequiredService<TestPlugins>();

    /// <summary>Starts the app.</summary>
    /// <param name="kestrel">Listen on a loopback port (for the browser) instead of in memory.</param>
    /// <param name="policy">Set the dashboard's authorization policy (false leaves the default: closed).</param>
    /// <param name="store">The checkpoint store; an in-memory one when null.</param>
    /// <param name="withStore">Register a checkpoint store at all.</param>
    /// <param name="configure">More dashboard options.</param>
    public static async Task<DashboardApp> StartAsync(bool kestrel = false, bool policy = true, ICheckpointStore? store = null, bool withStore = true, Action<OrchestratorDashboardOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Logging.ClearProviders();
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy(Policy, p => p.RequireAuthenticatedUser()));
        builder.Services.AddSingleton<TestPlugins>();
        var orchestrator = builder.Services.AddWorkflowOrchestrator(o => o.Pricing["test-model"] = new ModelPrice(2.50m, 10.00m))
            .AddPluginExecutor(sp => sp.GetRequiredService<TestPlugins>())
            .AddLlmClient<TestLlm>();
        if (withStore)
        {
            orchestrator.AddCheckpointStore(_ => store ?? new InMemoryCheckpointStore());
        }

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOrchestratorDashboard(Prefix, options =>
        {
            options.AuthorizationPolicy = policy ? Policy : null;
            configure?.Invoke(options);
        });
        await app.StartAsync();

        if (kestrel)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new DashboardApp(app, address, new HttpClient { BaseAddress = new Uri(address) });
        }

        var client = app.GetTestClient();
        return new DashboardApp(app, client.BaseAddress!.ToString().TrimEnd('/'), client);
    }

    /// <summary>Runs <paramref name="definition"/> for bob to its end or its suspension.</summary>
    public async Task<WorkflowExecutionResult> RunAsync(WorkflowDefinition definition, string executionId) =>
        await Orchestrator.ExecuteAsync(definition, new WorkflowExecutionRequest
        {
            ExecutionId = executionId,
            UserId = "bob",
            AgentId = definition.Id,
            Inputs = JsonDocument.Parse("{}").RootElement,
        });

    /// <summary>A GET as <paramref name="user"/> (anonymous when null).</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Prefix + path);
        if (user is not null)
        {
            request.Headers.Add(TestAuthHandler.Header, user);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Posts a decision the way the dashboard's page does, as <paramref name="user"/>.</summary>
    public async Task<HttpResponseMessage> DecideAsync(string executionId, string stepId, string user, bool approved, string? comment, bool fromPage = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Prefix}/runs/{executionId}/approvals/{stepId}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { approved, comment }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(TestAuthHandler.Header, user);
        if (fromPage)
        {
            request.Headers.Add("X-Orchestrator-Dashboard", "1");
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Waits until the stored run reaches <paramref name="status"/> (a background resume), for at most 30 s.</summary>
    public async Task<StoredRun> WaitForAsync(string executionId, CheckpointStatus status)
    {
        var time = TimeProvider.System;
        var deadline = time.GetUtcNow().AddSeconds(30);
        while (true)
        {
            var run = await Store.LoadAsync(executionId);
            if (run?.Status == status || time.GetUtcNow() > deadline)
            {
                Assert.Equal(status, run?.Status);
                return run!;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
