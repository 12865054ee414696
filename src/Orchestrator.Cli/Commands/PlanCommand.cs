using Orchestrator.Cli.Arguments;
using Orchestrator.Cli.Output;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator plan FILE</c>: prints the execution plan of a workflow that plans cleanly.</summary>
internal sealed class PlanCommand : ICliCommand
{
    private static readonly OptionSpec[] s_options =
    [
        new("format", "FORMAT", "How to print the plan: text (default), json or mermaid.", [OutputFormats.Text, OutputFormats.Json, OutputFormats.Mermaid]),
    ];

    public string Name => "plan";

    public string Usage => "orchestrator plan FILE [--format text|json|mermaid]";

    public string Summary => "Prints the workflow's parallel levels, critical path and edges (or a Mermaid flowchart).";

    public IReadOnlyList<OptionSpec> Options => s_options;

    public async ValueTask<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count != 1)
        {
            return console.UsageError("Name exactly one workflow file to plan.", Name);
        }

        var path = arguments.Positionals[0];
        var (planning, exitCode) = await WorkflowPlanning.PlanAsync(path, console, cancellationToken).ConfigureAwait(false);
        if (planning?.Plan is not { } plan)
        {
            return exitCode;
        }

        PlanWriter.Write(console.Out, plan, path, OutputFormats.Parse(arguments["format"]));
        return ExitCodes.Success;
    }
}
