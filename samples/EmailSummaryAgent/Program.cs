// Loads every workflow document in workflows/ (or the one named on the command line) and prints what the library
// makes of it: the agent, its steps, every diagnostic (code, severity, step, JSON path) and, when the workflow can
// run, its plan: parallel levels, critical path and edges. The planner checks action steps against a plugin catalog.
// Then it hosts the orchestrator the way an application would (a Generic Host, AddWorkflowOrchestrator, its own
// plugin and LLM classes, options from appsettings.json) and runs the email agent (workflows/email-summary.json) twice
// on offline stand-ins: the second run is given the first run's memory. Each run ends with a report.
//
//   dotnet run --project samples/EmailSummaryAgent [-- [--mermaid] [path/to/workflow.json]]
//   dotnet run --project samples/EmailSummaryAgent -- --web      (the dashboard: WebMode.cs, docs/dashboard.md)
//
// Documents under workflows/invalid/ are broken on purpose: their diagnostics are the point, so the exit code stays 0.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;

var options = SampleOptions.Parse(args);
if (options.Error is not null)
{
    await Console.Error.WriteLineAsync(options.Error).ConfigureAwait(false);
    await Console.Error.WriteLineAsync(SampleOptions.Usage).ConfigureAwait(false);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(SampleOptions.Usage);
    return 0;
}

if (options.Web)
{
    return await WebMode.RunAsync().ConfigureAwait(false); // the dashboard; the console mode below is unchanged
}

var workflowsRoot = Path.Combine(AppContext.BaseDirectory, "workflows");
var documents = options.Path is null
    ? WorkflowFiles.All(workflowsRoot)
    : WorkflowFiles.One(options.Path, workflowsRoot);
if (documents.Count == 0)
{
    await Console.Error.WriteLineAsync(options.Path is null
        ? $"No workflow documents found under {workflowsRoot}."
        : $"No workflow document at '{options.Path}'.").ConfigureAwait(false);
    return 2;
}

var planner = new WorkflowPlanner(SampleCatalog.Create());
var report = new PlanReport(Console.Out);
ExecutionPlan? agent = null;
foreach (var document in documents)
{
    var loaded = WorkflowJson.Load(await File.ReadAllBytesAsync(document.FullPath).ConfigureAwait(false));
    var planned = planner.Plan(loaded);  // the load's diagnostics come first, then the planner's
    report.Write(document.DisplayName, loaded, planned, options.Mermaid);
    if (document.DisplayName == "email-summary.json")
    {
        agent = planned.Plan;
    }
}

// Then host the orchestrator and run the email agent itself, twice, on offline stand-ins for its mailbox, chat and LLM.
if (agent is null)
{
    return 0;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.SetMinimumLevel(LogLevel.Warning); // the report below says what happened; warnings still show
builder.Services.AddSingleton<SamplePlugins>();
builder.Services.AddSingleton<SampleLlm>();
builder.Services.AddOptions<WorkflowOrchestratorOptions>().Bind(builder.Configuration.GetSection("Orchestrator"));
var orchestrator = builder.Services.AddWorkflowOrchestrator();
try
{
    SampleProviders.AddLlm(orchestrator, builder.Configuration);      // Orchestrator:Llm:Provider = Offline | OpenAI
    SampleProviders.AddPlugins(orchestrator, builder.Configuration);  // Orchestrator:Plugins:Provider = Offline | Mcp
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync("Configuration: " + ex.Message).ConfigureAwait(false);
    return 2;
}

using var host = builder.Build();
try
{
    await host.StartAsync().ConfigureAwait(false); // MCP servers, when configured, are connected and their tools listed here
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    await Console.Error.WriteLineAsync($"The host could not start: {ex.Message}").ConfigureAwait(false);
    return 2;
}

var exitCode = 0;
for (var run = 1; run <= 2; run++)
{
    var result = await AgentRun.RunAsync(host.Services, agent.Definition, run, Console.Out).ConfigureAwait(false);
    if (result.Status != ExecutionStatus.Succeeded)
    {
        exitCode = 1;
    }
}

await host.StopAsync().ConfigureAwait(false);
return exitCode;
