namespace Orchestrator.Cli.Commands;

/// <summary>Writes the help text, made from the commands' own usage, summary and options so it cannot drift from them.</summary>
internal static class HelpWriter
{
    public static void WriteOverview(TextWriter output, IReadOnlyList<ICliCommand> commands)
    {
        output.WriteLine("orchestrator: checks and dry-runs Orchestrator.Core workflow files.");
        output.WriteLine();
        output.WriteLine("Usage:");
        foreach (var command in commands)
        {
            output.WriteLine("  " + command.Usage);
        }

        output.WriteLine();
        output.WriteLine("Commands:");
        var width = commands.Max(c => c.Name.Length);
        foreach (var command in commands)
        {
            output.WriteLine($"  {command.Name.PadRight(width)}  {command.Summary}");
        }

        output.WriteLine();
        output.WriteLine("Run 'orchestrator COMMAND --help' for a command's options.");
        WriteExitCodes(output);
    }

    public static void WriteCommand(TextWriter output, ICliCommand command)
    {
        output.WriteLine("Usage: " + command.Usage);
        output.WriteLine();
        output.WriteLine(command.Summary);
        output.WriteLine();
        output.WriteLine("Options:");
        var labels = command.Options.Select(o => $"--{o.Name} {o.ValueName}").Append("-h, --help").ToList();
        var width = labels.Max(l => l.Length);
        for (var i = 0; i < command.Options.Count; i++)
        {
            output.WriteLine($"  {labels[i].PadRight(width)}  {command.Options[i].Description}");
        }

        output.WriteLine($"  {labels[^1].PadRight(width)}  Shows this help.");
        WriteExitCodes(output);
    }

    private static void WriteExitCodes(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Exit codes: 0 success; 1 invalid workflow or a run that did not succeed; 2 usage error or unreadable file.");
    }
}
