namespace Orchestrator.Core.Model;

/// <summary>One case of a <see cref="SwitchStep"/>: the steps run when the evaluated value equals <see cref="Value"/>.</summary>
/// <param name="Value">The value matched, as text (numbers and booleans match by their JSON text).</param>
/// <param name="Targets">Ids of the workflow steps that run for this case.</param>
public sealed record SwitchCase(string Value, EquatableArray<string> Targets);
