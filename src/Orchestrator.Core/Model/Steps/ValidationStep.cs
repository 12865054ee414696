using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary><c>validation</c>: checks a value against a schema and rules.</summary>
public sealed record ValidationStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.Validation;

    /// <summary>The value checked: a reference (with or without braces) or a literal.</summary>
    [JsonConverter(typeof(PathOrTemplateJsonConverter))]
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal TemplateValue Input { get; init; } = LiteralValue.Null;

    /// <summary>The value checked: a reference (with or without braces) or a literal. As JSON, in the form the workflow is saved in.</summary>
    [JsonIgnore]
    public JsonElement InputJson => ExpressionJson.OfRequired(Input);

    /// <summary>The schema: <c>type</c>, <c>required</c>, <c>properties</c>, <c>minLength</c>, <c>maxLength</c>, <c>min</c>, <c>max</c>, <c>pattern</c>.</summary>
    [JsonConverter(typeof(LiteralValueJsonConverter))]
    [JsonInclude]
    internal LiteralValue? Schema { get; init; }

    /// <summary>The schema: <c>type</c>, <c>required</c>, <c>properties</c>, <c>minLength</c>, <c>maxLength</c>, <c>min</c>, <c>max</c>, <c>pattern</c>. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? SchemaJson => Schema?.Value;

    /// <summary>Further rules, in order.</summary>
    public EquatableArray<ValidationRule> Rules { get; init; }

    /// <summary>What happens when the value is invalid; <see cref="ValidationFailureAction.Throw"/> when absent.</summary>
    public ValidationFailureAction? OnValidationFail { get; init; }
}
