using System.CommandLine;
using System.Reflection;
using Orchestrator.Cli.Commands;

namespace Orchestrator.Cli;

/// <summary>
/// The <c>orchestrator</c> tool's entry point, callable in-process: the executable's <c>Main</c> passes the console,
/// tests pass string writers. Results go to <c>stdout</c>, errors and diagnostics to <c>stderr</c>.
/// </summary>
internal static class CliApplication
{
    /// <summary>Runs the tool.</summary>
    /// <param name="args">The command line without the program name, such as <c>["validate", "a.json"]</c>.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors, warnings and diagnostics go.</param>
    /// <param name="cancellationToken">Stops the command (Ctrl+C): a stopped run reports itself cancelled, and the exit code is 1.</param>
    /// <returns>The exit code: 0 success, 1 an invalid workflow or a run that did not succeed, 2 a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var console = new CliConsole(stdout, stderr);
        ICliCommand[] commands = [new ValidateCommand(), new PlanCommand(), new RunCommand(TimeProvider.System), new DiffCommand(), new SchemaCommand()];
        if (args.Length == 0)
        {
            HelpWriter.WriteOverview(stderr, commands);
            return ExitCodes.UsageError;
        }

        switch (args[0])
        {
            case "help":
                HelpWriter.WriteOverview(stdout, commands);
                return ExitCodes.Success;
            case "--version":
                // The tool's own version (System.CommandLine's would name the entry assembly, a test host in tests).
                stdout.WriteLine(Version);
                return ExitCodes.Success;
            case var first when !first.StartsWith('-') && !first.StartsWith('@') && !first.StartsWith('[') && !Array.Exists(commands, c => c.Name == first):
                return console.UsageError($"Unknown command '{first}'; the commands are {string.Join(", ", commands.Select(c => c.Name))}.");
        }

        var commandLine = new Arguments.CommandLine(commands, console);
        var parseResult = commandLine.Root.Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in parseResult.Errors)
            {
                stderr.WriteLine("error: " + error.Message);
            }

            var command = Arguments.CommandLine.CommandName(parseResult);
            stderr.WriteLine(command is null ? "Run 'orchestrator --help' for usage." : $"Run 'orchestrator {command} --help' for usage.");
            return ExitCodes.UsageError;
        }

        int exitCode;
        try
        {
            exitCode = await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while reading files (a stopped run is not an exception: it reports itself cancelled).
            stderr.WriteLine("error: cancelled.");
            exitCode = ExitCodes.Failure;
        }

        await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await stderr.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return exitCode;
    }

    private static string Version =>
        typeof(CliApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
