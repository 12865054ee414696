using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary><c>comparison</c>: compares two values.</summary>
public sealed record ComparisonStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.Comparison;

    /// <summary>The first value: a reference (in braces, or a bare path with a <c>.</c> or <c>[</c>) or a literal.</summary>
    [JsonConverter(typeof(OperandJsonConverter))]
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal TemplateValue Left { get; init; } = LiteralValue.Null;

    /// <summary>The first value: a reference (in braces, or a bare path with a <c>.</c> or <c>[</c>) or a literal. As JSON, in the form the workflow is saved in.</summary>
    [JsonIgnore]
    public JsonElement LeftJson => ExpressionJson.OfOperand(Left);

    /// <summary>The second value: a reference (in braces, or a bare path with a <c>.</c> or <c>[</c>) or a literal such as <c>"done"</c>.</summary>
    [JsonConverter(typeof(OperandJsonConverter))]
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal TemplateValue Right { get; init; } = LiteralValue.Null;

    /// <summary>The second value: a reference (in braces, or a bare path with a <c>.</c> or <c>[</c>) or a literal such as <c>"done"</c>. As JSON, in the form the workflow is saved in.</summary>
    [JsonIgnore]
    public JsonElement RightJson => ExpressionJson.OfOperand(Right);

    /// <summary>What is computed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ComparisonOperation Operation { get; init; }

    /// <summary>The shape of the result; <see cref="ComparisonOutputFormat.Boolean"/> when absent.</summary>
    public ComparisonOutputFormat? OutputFormat { get; init; }
}
