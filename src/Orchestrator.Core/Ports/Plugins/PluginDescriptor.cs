using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Ports;

/// <summary>A plugin the host offers, with its actions.</summary>
public sealed record PluginDescriptor
{
    /// <summary>The plugin's name, such as <c>google-mail</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the plugin does, for people.</summary>
    public string? Description { get; init; }

    /// <summary>The plugin's actions.</summary>
    public EquatableArray<PluginActionDescriptor> Actions { get; init; }

    /// <summary>Looks up an action by name (ordinal, case-sensitive).</summary>
    /// <param name="name">The action's name.</param>
    /// <param name="action">The action, when found.</param>
    /// <returns>Whether the plugin has the action.</returns>
    public bool TryGetAction(string name, [NotNullWhen(true)] out PluginActionDescriptor? action)
    {
        foreach (var candidate in Actions)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                action = candidate;
                return true;
            }
        }

        action = null;
        return false;
    }
}
