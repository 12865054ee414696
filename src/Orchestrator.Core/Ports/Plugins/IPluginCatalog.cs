using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Ports;

/// <summary>
/// Describes the host's plugins, their actions and parameters. Optional: when the host provides one, the planner
/// reports unknown plugins and actions and missing required parameters before anything runs.
/// </summary>
public interface IPluginCatalog
{
    /// <summary>Looks up a plugin by name.</summary>
    /// <param name="name">The plugin's name, such as <c>google-mail</c>.</param>
    /// <param name="plugin">The plugin's description, when found.</param>
    /// <returns>Whether the catalog describes the plugin.</returns>
    bool TryGetPlugin(string name, [NotNullWhen(true)] out PluginDescriptor? plugin);
}
