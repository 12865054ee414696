using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary><c>transform</c>: reshapes data with one operation; its settings are its own fields, never <c>params</c>.</summary>
public sealed record TransformStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.Transform;

    /// <summary>The operation.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required TransformOperation Operation { get; init; }

    /// <summary>The data transformed: a reference (with or without braces) or a literal.</summary>
    [JsonConverter(typeof(PathOrTemplateJsonConverter))]
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal TemplateValue Input { get; init; } = LiteralValue.Null;

    /// <summary>The data transformed: a reference (with or without braces) or a literal. As JSON, in the form the workflow is saved in.</summary>
    [JsonIgnore]
    public JsonElement InputJson => ExpressionJson.OfRequired(Input);

    /// <summary>The operation's settings.</summary>
    public TransformConfig? Config { get; init; }

    /// <summary>
    /// <c>_on_empty</c> (also accepted in <c>config</c>): <c>"throw"</c> fails the step when a non-empty list gives an
    /// empty list; <c>"warn"</c> (or absent) lets it succeed.
    /// </summary>
    [JsonPropertyName("_on_empty")]
    public string? OnEmpty { get; init; }
}
