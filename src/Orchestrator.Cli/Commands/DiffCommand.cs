using Orchestrator.Cli.Arguments;
using Orchestrator.Cli.Output;
using Orchestrator.Core.Durability;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator diff OLD NEW</c>: the steps added, removed and changed, and whether a run checkpointed on OLD can
/// resume on NEW (the rule <c>ResumeOptions.AllowDefinitionChange</c> applies). Exit 0 when it can (with or without the
/// option), 1 when it cannot (a file does not load, or NEW does not plan), 2 on a usage error.
/// </summary>
internal sealed class DiffCommand : ICliCommand
{
    private static readonly OptionSpec[] s_options =
    [
        new("format", "FORMAT", "How to print the result: text (default) or json.", [OutputFormats.Text, OutputFormats.Json]),
    ];

    public string Name => "diff";

    public string Usage => "orchestrator diff OLD NEW [--format text|json]";

    public string Summary => "Lists added, removed and changed steps and says whether runs checkpointed on OLD can resume on NEW.";

    public IReadOnlyList<OptionSpec> Options => s_options;

    public async ValueTask<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count != 2)
        {
            return console.UsageError("Name two workflow files: the OLD one runs were checkpointed on, and the NEW one.", Name);
        }

        var (oldPath, newPath) = (arguments.Positionals[0], arguments.Positionals[1]);
        var oldDefinition = await LoadAsync(oldPath, console, cancellationToken).ConfigureAwait(false);
        var newDefinition = await LoadAsync(newPath, console, cancellationToken).ConfigureAwait(false);
        if (oldDefinition.ExitCode != ExitCodes.Success || newDefinition.ExitCode != ExitCodes.Success)
        {
            return Math.Max(oldDefinition.ExitCode, newDefinition.ExitCode);
        }

        var diff = WorkflowDiff.Compare(oldDefinition.Definition!, newDefinition.Definition!);
        foreach (var diagnostic in diff.NewDiagnostics)
        {
            console.Error.WriteLine(ValidationReportWriter.Describe(diagnostic));
        }

        DiffWriter.Write(console.Out, diff, oldPath, newPath, OutputFormats.Parse(arguments["format"]));
        return diff.Resume == ResumeCompatibility.Refused ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static async ValueTask<(Core.Model.WorkflowDefinition? Definition, int ExitCode)> LoadAsync(string path, CliConsole console, CancellationToken cancellationToken)
    {
        var (loaded, error) = await InputFiles.LoadWorkflowAsync(path, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return (null, console.FileError(error!));
        }

        if (!loaded.Succeeded)
        {
            // A definition that does not load has no steps to compare: a run could not have been checkpointed on it.
            foreach (var diagnostic in loaded.Diagnostics)
            {
                console.Error.WriteLine(ValidationReportWriter.Describe(diagnostic));
            }

            console.Error.WriteLine($"error: '{path}' cannot be loaded (see the errors above).");
            return (null, ExitCodes.Failure);
        }

        return (loaded.Definition, ExitCodes.Success);
    }
}
