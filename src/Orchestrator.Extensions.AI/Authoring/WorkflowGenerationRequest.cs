using Orchestrator.Core.Ports;

namespace Orchestrator.Extensions.AI.Authoring;

/// <summary>What to generate: the user's request in words, the plugins the workflow may call, and optional examples.</summary>
public sealed record WorkflowGenerationRequest
{
    /// <summary>What the workflow should do, in the user's words.</summary>
    public required string Request { get; init; }

    /// <summary>
    /// The host's plugins: described to the model, and the catalog the generated workflow is planned against (unknown
    /// plugins, actions and missing required parameters come back as diagnostics to repair). Empty: no plugin is known,
    /// and plugin calls are not checked.
    /// </summary>
    public IReadOnlyList<PluginDescriptor> Plugins { get; init; } = [];

    /// <summary>Example workflow documents (JSON) shown to the model as the house style.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];
}
