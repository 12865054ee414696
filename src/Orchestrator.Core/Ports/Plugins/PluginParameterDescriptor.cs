namespace Orchestrator.Core.Ports;

/// <summary>One parameter of a plugin action.</summary>
public sealed record PluginParameterDescriptor
{
    /// <summary>The parameter's name.</summary>
    public required string Name { get; init; }

    /// <summary>The expected JSON type, when known (see <see cref="Model.InputTypes"/>).</summary>
    public string? Type { get; init; }

    /// <summary>Whether a step must pass it.</summary>
    public bool Required { get; init; }

    /// <summary>Whether the value is a secret (redacted from logs and audit events).</summary>
    public bool Sensitive { get; init; }

    /// <summary>What the parameter means, for people.</summary>
    public string? Description { get; init; }
}
