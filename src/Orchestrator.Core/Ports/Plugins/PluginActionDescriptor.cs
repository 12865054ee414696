namespace Orchestrator.Core.Ports;

/// <summary>One action of a plugin, with its parameters.</summary>
public sealed record PluginActionDescriptor
{
    /// <summary>The action's name, such as <c>search_emails</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the action does, for people.</summary>
    public string? Description { get; init; }

    /// <summary>The parameters the action takes.</summary>
    public EquatableArray<PluginParameterDescriptor> Parameters { get; init; }
}
