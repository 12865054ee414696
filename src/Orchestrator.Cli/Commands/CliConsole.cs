namespace Orchestrator.Cli.Commands;

/// <summary>Where a command writes: results to <see cref="Out"/>, errors and warnings to <see cref="Error"/>.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    /// <summary>Reports a usage error and returns <see cref="ExitCodes.UsageError"/>.</summary>
    public int UsageError(string message, string? command = null)
    {
        Error.WriteLine("error: " + message);
        Error.WriteLine(command is null ? "Run 'orchestrator --help' for usage." : $"Run 'orchestrator {command} --help' for usage.");
        return ExitCodes.UsageError;
    }

    /// <summary>Reports a file the command needs but cannot use, and returns <see cref="ExitCodes.UsageError"/>.</summary>
    public int FileError(string message)
    {
        Error.WriteLine("error: " + message);
        return ExitCodes.UsageError;
    }
}
