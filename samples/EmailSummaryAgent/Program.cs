// Loads every workflow document in workflows/ (or the one named on the command line) and prints what the library
// makes of it: the agent, its steps and every diagnostic, with code, severity, step and JSON path.
//
//   dotnet run --project samples/EmailSummaryAgent [-- [--mermaid] [path/to/workflow.json]]
//
// Documents under workflows/invalid/ are broken on purpose: their diagnostics are the point, so the exit code stays 0.
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

var report = new PlanReport(Console.Out);
foreach (var document in documents)
{
    var loaded = WorkflowJson.Load(await File.ReadAllBytesAsync(document.FullPath).ConfigureAwait(false));
    report.Write(document.DisplayName, loaded);
}

return 0;
