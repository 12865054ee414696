using System.Text.Json;

namespace Orchestrator.Core.Ports;

/// <summary>
/// An optional capability of an <see cref="IPluginCatalog"/>: checking the arguments a step writes in the document
/// against the action's own contract (a JSON Schema's types, enums and forbidden names, say) when the workflow is
/// planned, so a value the plugin would refuse is reported before any run instead of failing at run time.
/// </summary>
/// <remarks>
/// The planner asks a catalog that implements this interface once per action step whose parameters are an object. It
/// checks required parameters and unknown names itself from <see cref="PluginActionDescriptor.Parameters"/>; this port
/// adds what only the plugin's contract knows. A validator that throws is reported as <c>ORC119</c> on the step, never
/// thrown out of planning.
/// </remarks>
public interface IPluginArgumentValidator
{
    /// <summary>Checks the arguments a step passes to <paramref name="pluginName"/>.<paramref name="actionName"/>.</summary>
    /// <param name="pluginName">The plugin, as the catalog describes it.</param>
    /// <param name="actionName">The action of that plugin.</param>
    /// <param name="arguments">
    /// Every argument the step passes, by name: its value when the document writes it literally, or
    /// <see langword="null"/> when it is computed at run time (a reference or a template), whose name alone is known.
    /// </param>
    /// <returns>The problems found, each naming its argument; empty when there are none.</returns>
    IReadOnlyList<PluginArgumentProblem> ValidateArguments(string pluginName, string actionName, IReadOnlyDictionary<string, JsonElement?> arguments);
}
