namespace Orchestrator.Core.Expressions;

/// <summary>A named member of an <see cref="ObjectTemplate"/>.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Value">The property value.</param>
internal readonly record struct TemplateProperty(string Name, TemplateValue Value);
