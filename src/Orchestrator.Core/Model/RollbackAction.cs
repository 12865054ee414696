using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Model;

/// <summary>The plugin call that undoes a step when the run fails after it (compensation).</summary>
public sealed record RollbackAction
{
    /// <summary>The plugin to call.</summary>
    public required string Plugin { get; init; }

    /// <summary>The plugin's action.</summary>
    public required string Action { get; init; }

    /// <summary>The parameters; may reference the step's own output.</summary>
    public TemplateValue? Params { get; init; }
}
