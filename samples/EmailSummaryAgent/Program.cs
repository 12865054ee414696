// Loads every workflow document in workflows/ (or the one named on the command line) and prints what the library
// makes of it: the agent, its steps, every diagnostic (code, severity, step, JSON path) and, when the workflow can
// run, its plan: parallel levels, critical path and edges. The planner checks action steps against a plugin catalog.
//
//   dotnet run --project samples/EmailSummaryAgent [-- [--mermaid] [path/to/workflow.json]]
//
// Documents under workflows/invalid/ are broken on purpose: their diagnostics are the point, so the exit code stays 0.
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
foreach (var document in documents)
{
    var loaded = WorkflowJson.Load(await File.ReadAllBytesAsync(document.FullPath).ConfigureAwait(false));
    var planned = planner.Plan(loaded);  // the load's diagnostics come first, then the planner's
    report.Write(document.DisplayName, loaded, planned, options.Mermaid);
}

return 0;
