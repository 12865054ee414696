namespace Orchestrator.Cli.Arguments;

/// <summary>A command's arguments after parsing: the positional ones in order and the options by name.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string> _options;

    public ParsedArguments(IReadOnlyList<string> positionals, Dictionary<string, string> options)
    {
        Positionals = positionals;
        _options = options;
    }

    /// <summary>The arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>The value of an option, or null when it was not given.</summary>
    public string? this[string name] => _options.TryGetValue(name, out var value) ? value : null;
}
