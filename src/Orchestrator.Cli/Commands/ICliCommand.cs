using Orchestrator.Cli.Arguments;

namespace Orchestrator.Cli.Commands;

/// <summary>One command of the tool (<c>validate</c>, <c>plan</c>, <c>run</c>).</summary>
internal interface ICliCommand
{
    /// <summary>The command's name on the command line.</summary>
    string Name { get; }

    /// <summary>The usage line, such as <c>orchestrator plan FILE [--format text|json|mermaid]</c>.</summary>
    string Usage { get; }

    /// <summary>One sentence saying what the command does.</summary>
    string Summary { get; }

    /// <summary>The options the command accepts.</summary>
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Runs the command.</summary>
    /// <param name="arguments">The parsed arguments.</param>
    /// <param name="console">Where to write.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    ValueTask<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken);
}
