using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary><c>action</c>: calls one action of one of the host's plugins.</summary>
public sealed record ActionStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.Action;

    /// <summary>The plugin, such as <c>google-mail</c>.</summary>
    public required string Plugin { get; init; }

    /// <summary>The plugin's action, such as <c>search_emails</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The parameters; a value that is exactly one reference keeps the referenced value's JSON type.</summary>
    [JsonInclude]
    internal TemplateValue? Params { get; init; }

    /// <summary>The parameters; a value that is exactly one reference keeps the referenced value's JSON type. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? ParamsJson => ExpressionJson.Of(Params);
}
