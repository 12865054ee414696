namespace Orchestrator.Cli.Tests.Compat;

/// <summary>One plugin call of a run: plugin, action and the parameters as canonical JSON (<see cref="CanonicalJson"/>).</summary>
internal sealed record RecordedPluginCall(string Plugin, string Action, string Params)
{
    public override string ToString() => $"{Plugin}.{Action} {Params}";
}
