using Orchestrator.Cli.Arguments;
using Orchestrator.Cli.Output;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Planning;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator validate FILE...</c>: loads and plans every file (folders and globs expanded, see
/// <see cref="PathExpansion"/>), reporting every problem of every file and a summary; exit 0 when all are valid. A file that cannot be read is an invalid entry (<c>CLI001</c>), not a crash, so one bad path in a CI
/// glob still reports the others.
/// </summary>
internal sealed class ValidateCommand : ICliCommand
{
    private static readonly OptionSpec[] s_options =
    [
        new("format", "FORMAT", "How to print the result: text (default) or json.", [OutputFormats.Text, OutputFormats.Json]),
    ];

    private readonly WorkflowPlanner _planner = new();

    public string Name => "validate";

    public string Usage => "orchestrator validate FILE... [--format text|json]";

    public string Summary => "Checks that each workflow file (a folder: its *.json files; a glob such as 'flows/**/*.json': its matches) loads and plans; exit 0 when all do, 1 otherwise.";

    public IReadOnlyList<OptionSpec> Options => s_options;

    public async ValueTask<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count == 0)
        {
            return console.UsageError("Name at least one workflow file to validate.", Name);
        }

        var files = new List<FileValidation>(arguments.Positionals.Count);
        foreach (var argument in arguments.Positionals)
        {
            var paths = PathExpansion.Expand(argument, out var error);
            if (error is not null)
            {
                // A folder or pattern that stands for nothing is an invalid entry, as an unreadable file is: CI must notice.
                files.Add(new FileValidation(argument, Valid: false, [WorkflowDiagnostic.Error(CliDiagnosticCodes.UnreadableFile, error, null, null)]));
                continue;
            }

            foreach (var path in paths)
            {
                files.Add(await ValidateAsync(path, cancellationToken).ConfigureAwait(false));
            }
        }

        ValidationReportWriter.Write(console.Out, files, OutputFormats.Parse(arguments["format"]));
        return files.TrueForAll(f => f.Valid) ? ExitCodes.Success : ExitCodes.Failure;
    }

    private async ValueTask<FileValidation> ValidateAsync(string path, CancellationToken cancellationToken)
    {
        var (loaded, error) = await InputFiles.LoadWorkflowAsync(path, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return new FileValidation(path, Valid: false, [WorkflowDiagnostic.Error(CliDiagnosticCodes.UnreadableFile, error!, null, null)]);
        }

        // Planning a load result reports the load's problems first, then the planner's, without repeating unreadable steps.
        var planning = _planner.Plan(loaded);
        return new FileValidation(path, planning.Succeeded, planning.Diagnostics);
    }
}
