using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Orchestrator.Cli.Commands;

namespace Orchestrator.Cli.Arguments;

/// <summary>
/// The tool's command line on System.CommandLine, built from the commands' own options (so help, completions and
/// parsing cannot drift from them): POSIX and Windows option forms (<c>--format json</c>, <c>--format=json</c>,
/// <c>--format:json</c>), <c>@file.rsp</c> response files, <c>[suggest]</c> completions for the shell, and
/// <c>--help</c> on every command, which wins over everything else on the line.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, (ICliCommand Command, Argument<string[]> Files, Dictionary<string, Option<string>> Options)> _commands = new(StringComparer.Ordinal);

    public CommandLine(IReadOnlyList<ICliCommand> commands, CliConsole console)
    {
        Root = new RootCommand("orchestrator: checks and dry-runs Orchestrator.Core workflow files.");
        foreach (var command in commands)
        {
            var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.ZeroOrMore };

            // A list argument takes any token, an unknown option too: refused here, as the parser refuses other unknown tokens.
            files.Validators.Add(result =>
            {
                foreach (var token in result.Tokens)
                {
                    if (token.Value.Length > 1 && token.Value[0] == '-')
                    {
                        result.AddError($"Unrecognized command or argument '{token.Value}'.");
                    }
                }
            });
            var options = new Dictionary<string, Option<string>>(StringComparer.Ordinal);
            var subcommand = new Command(command.Name, command.Summary) { files };
            foreach (var spec in command.Options)
            {
                var option = new Option<string>("--" + spec.Name) { Description = spec.Description, HelpName = spec.ValueName };
                if (spec.AllowedValues is { } allowed)
                {
                    // Our own message (System.CommandLine's AcceptOnlyFromAmong words it differently), and the values as completions.
                    option.Validators.Add(result =>
                    {
                        var value = result.GetValueOrDefault<string>();
                        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
                        {
                            result.AddError($"'{value}' is not a value of '--{spec.Name}'; use one of: {string.Join(", ", allowed)}.");
                        }
                    });
                    option.CompletionSources.Add(_ => allowed.Select(a => new CompletionItem(a)));
                }

                options[spec.Name] = option;
                subcommand.Options.Add(option);
            }

            subcommand.SetAction((parseResult, cancellationToken) =>
                command.ExecuteAsync(Arguments(parseResult, files, options), console, cancellationToken).AsTask());
            Root.Subcommands.Add(subcommand);
            _commands[command.Name] = (command, files, options);
        }

        // Help is ours: written from each command's usage, summary and options, to standard output, exit 0.
        foreach (var option in Root.Options)
        {
            if (option is HelpOption help)
            {
                help.Action = new OwnHelpAction(commands, console);
            }
        }
    }

    /// <summary>The root command.</summary>
    public RootCommand Root { get; }

    /// <summary>The name of the command a parse result chose, when it chose one.</summary>
    public static string? CommandName(ParseResult parseResult) =>
        parseResult.CommandResult.Command is RootCommand ? null : parseResult.CommandResult.Command.Name;

    private static ParsedArguments Arguments(ParseResult parseResult, Argument<string[]> files, Dictionary<string, Option<string>> options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, option) in options)
        {
            if (parseResult.GetValue(option) is { } value)
            {
                values[name] = value;
            }
        }

        return new ParsedArguments(parseResult.GetValue(files) ?? [], values);
    }

    /// <summary>Writes <see cref="HelpWriter"/>'s help for the command on the line (the overview for none).</summary>
    private sealed class OwnHelpAction(IReadOnlyList<ICliCommand> commands, CliConsole console) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var name = CommandName(parseResult);
            if (name is null || commands.FirstOrDefault(c => c.Name == name) is not { } command)
            {
                HelpWriter.WriteOverview(console.Out, commands);
            }
            else
            {
                HelpWriter.WriteCommand(console.Out, command);
            }

            return ExitCodes.Success;
        }
    }
}
