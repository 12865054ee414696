using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Ports;

/// <summary>A plugin catalog held in memory, built from descriptors.</summary>
public sealed class InMemoryPluginCatalog : IPluginCatalog
{
    private readonly Dictionary<string, PluginDescriptor> _plugins;

    /// <summary>Creates a catalog of <paramref name="plugins"/>.</summary>
    /// <param name="plugins">The plugins; names must be unique.</param>
    /// <exception cref="ArgumentException">Two plugins share a name.</exception>
    public InMemoryPluginCatalog(IEnumerable<PluginDescriptor> plugins)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        _plugins = new Dictionary<string, PluginDescriptor>(StringComparer.Ordinal);
        foreach (var plugin in plugins)
        {
            if (!_plugins.TryAdd(plugin.Name, plugin))
            {
                throw new ArgumentException($"The plugin '{plugin.Name}' is described twice.", nameof(plugins));
            }
        }
    }

    /// <summary>The plugins described.</summary>
    public IReadOnlyCollection<PluginDescriptor> Plugins => _plugins.Values;

    /// <inheritdoc />
    public bool TryGetPlugin(string name, [NotNullWhen(true)] out PluginDescriptor? plugin) => _plugins.TryGetValue(name, out plugin);
}
