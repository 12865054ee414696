using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>The plugin call that undoes a step when the run fails after it (compensation).</summary>
public sealed record RollbackAction
{
    /// <summary>The plugin to call.</summary>
    public required string Plugin { get; init; }

    /// <summary>The plugin's action.</summary>
    public required string Action { get; init; }

    /// <summary>The parameters; may reference the step's own output.</summary>
    [JsonInclude]
    internal TemplateValue? Params { get; init; }

    /// <summary>The parameters; may reference the step's own output. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? ParamsJson => ExpressionJson.Of(Params);
}
