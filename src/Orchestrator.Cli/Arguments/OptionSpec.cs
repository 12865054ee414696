namespace Orchestrator.Cli.Arguments;

/// <summary>An option a command accepts: <c>--name VALUE</c> (or <c>--name=VALUE</c>).</summary>
/// <param name="Name">The long name without dashes, such as <c>format</c>.</param>
/// <param name="ValueName">The placeholder of its value in help text, such as <c>FILE</c>.</param>
/// <param name="Description">One line for the help text.</param>
/// <param name="AllowedValues">The only values allowed, when the option is a choice; the first is the default.</param>
internal sealed record OptionSpec(string Name, string ValueName, string Description, IReadOnlyList<string>? AllowedValues = null);
