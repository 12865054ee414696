namespace Orchestrator.Cli.Arguments;

/// <summary>
/// A small hand-written parser: <c>--name VALUE</c>, <c>--name=VALUE</c>, <c>-h</c>/<c>--help</c>, and <c>--</c> to end
/// options. Every problem is a usage error with a message, never an exception: the tool turns it into exit code 2.
/// </summary>
internal static class ArgumentParser
{
    /// <summary>Parses <paramref name="args"/> against a command's options.</summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="options">The options the command accepts.</param>
    /// <param name="parsed">The result, when parsing succeeded.</param>
    /// <param name="error">What is wrong, when it failed.</param>
    /// <returns>Whether the arguments are well formed.</returns>
    public static bool TryParse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> options, out ParsedArguments parsed, out string? error)
    {
        var positionals = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var help = false;
        var optionsEnded = false;
        parsed = new ParsedArguments(positionals, values, helpRequested: false);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || arg == "-" || !arg.StartsWith('-'))
            {
                positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (arg is "-h" or "--help" or "-?")
            {
                help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"Unknown option '{arg}'.";
                return false;
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            var spec = Find(options, name);
            if (spec is null)
            {
                error = $"Unknown option '--{name}'.";
                return false;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    error = $"The option '--{name}' needs a value ({spec.ValueName}).";
                    return false;
                }

                value = args[++i];
            }

            if (values.ContainsKey(name))
            {
                error = $"The option '--{name}' is given more than once.";
                return false;
            }

            if (spec.AllowedValues is { } allowed && !allowed.Contains(value, StringComparer.Ordinal))
            {
                error = $"'{value}' is not a value of '--{name}'; use one of: {string.Join(", ", allowed)}.";
                return false;
            }

            values[name] = value;
        }

        parsed = new ParsedArguments(positionals, values, help);
        error = null;
        return true;
    }

    private static OptionSpec? Find(IReadOnlyList<OptionSpec> options, string name)
    {
        foreach (var option in options)
        {
            if (string.Equals(option.Name, name, StringComparison.Ordinal))
            {
                return option;
            }
        }

        return null;
    }
}
