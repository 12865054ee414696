namespace Orchestrator.Core.Ports;

/// <summary>One argument a step passes that the plugin's contract refuses (see <see cref="IPluginArgumentValidator"/>).</summary>
/// <param name="Argument">The argument's name, as the step writes it.</param>
/// <param name="Message">What is wrong, in the contract's own words (for example <c>Value is "string" but should be "number"</c>).</param>
public sealed record PluginArgumentProblem(string Argument, string Message);
