using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;

/// <summary>
/// <c>--web</c>: hosts the orchestrator in an ASP.NET Core app with the dashboard at <c>/orchestrator</c>, runs the email
/// agent twice and a variant that waits for an editor's approval before posting, then serves until stopped. Requests
/// from this machine are signed in as the editor (a stand-in for the app's real sign-in), so the approval can be made
/// by clicking.
/// </summary>
internal static class WebMode
{
    public const string Editor = "editor@example.org";
    private const string DefaultUrl = "http://127.0.0.1:5080";

    public static async Task<int> RunAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddSingleton<SamplePlugins>();
        builder.Services.AddSingleton<SampleLlm>();
        builder.Services.AddOptions<WorkflowOrchestratorOptions>().Bind(builder.Configuration.GetSection("Orchestrator"));
        var orchestrator = builder.Services.AddWorkflowOrchestrator().AddInMemoryCheckpointStore();
        try
        {
            SampleProviders.AddLlm(orchestrator, builder.Configuration);
            SampleProviders.AddPlugins(orchestrator, builder.Configuration);
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync("Configuration: " + ex.Message).ConfigureAwait(false);
            return 2;
        }

        builder.Services.AddAuthentication(LocalUserHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, LocalUserHandler>(LocalUserHandler.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy("orchestrator-dashboard", p => p.RequireAuthenticatedUser()));

        await using var app = builder.Build();
        app.MapOrchestratorDashboard("/orchestrator", o => o.AuthorizationPolicy = "orchestrator-dashboard");
        app.MapGet("/", () => Microsoft.AspNetCore.Http.Results.Redirect("/orchestrator/"));
        await app.StartAsync().ConfigureAwait(false);

        await SeedAsync(app.Services).ConfigureAwait(false);
        Console.WriteLine($"The dashboard: {string.Join(", ", app.Urls.Select(u => u + "/orchestrator/"))} (signed in as {Editor} from this machine). Ctrl+C stops.");
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Two runs of the email agent, and one of the variant that waits for the editor.</summary>
    private static async Task SeedAsync(IServiceProvider services)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "workflows", "email-summary.json")).ConfigureAwait(false);
        var planner = services.GetRequiredService<WorkflowPlanner>();
        var orchestrator = services.GetRequiredService<IWorkflowOrchestrator>();
        var agent = planner.Plan(WorkflowJson.Load(json).GetDefinitionOrThrow()).GetPlanOrThrow();
        var approved = planner.Plan(WithApproval(json)).GetPlanOrThrow();
        foreach (var plan in new[] { agent, agent, approved })
        {
            var result = await orchestrator.ExecuteAsync(plan, new WorkflowExecutionRequest
            {
                AgentId = plan.Definition.Id,
                UserId = AgentRun.UserId,
                Inputs = JsonDocument.Parse("""{ "channel": "#inbox" }""").RootElement,
            }).ConfigureAwait(false);
            Console.WriteLine($"run {result.ExecutionId} of '{plan.Definition.Name}': {result.Status}");
        }
    }

    /// <summary>The email agent with an approval before the digest is posted: the editor must approve, with a comment.</summary>
    private static WorkflowDefinition WithApproval(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        root["id"] = "email-summary-approved";
        root["agent_name"] = "Email Summary, approved before posting";
        var steps = root["workflow_steps"]!.AsArray();
        steps.Insert(3, JsonNode.Parse($$"""
            { "id": "approve", "type": "human_approval", "approvers": ["{{Editor}}"], "requireComment": true,
              "title": "Post the digest to {{"{{"}}input.channel{{"}}"}}?", "message": "{{"{{"}}step2.data.decision{{"}}"}}",
              "dependencies": ["step3"] }
            """));
        steps[4]!["dependencies"] = new JsonArray("approve");
        return WorkflowJson.Load(root.ToJsonString()).GetDefinitionOrThrow();
    }

    /// <summary>Signs requests from this machine in as the editor: the sample's stand-in for the app's own sign-in.</summary>
    private sealed class LocalUserHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "SampleLocalUser";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Context.Connection.RemoteIpAddress is not { } address || !IPAddress.IsLoopback(address))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Editor)], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
