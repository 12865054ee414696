namespace Orchestrator.Core.Model;

/// <summary>One declared property of a <see cref="DataSchema"/> (an entry of its <c>properties</c>).</summary>
/// <param name="Name">The property name.</param>
/// <param name="Schema">The property's schema.</param>
public sealed record DataSchemaProperty(string Name, DataSchema Schema);
