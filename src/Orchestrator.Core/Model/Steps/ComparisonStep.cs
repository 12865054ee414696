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
    public required TemplateValue Left { get; init; }

    /// <summary>The second value: a reference (in braces, or a bare path with a <c>.</c> or <c>[</c>) or a literal such as <c>"done"</c>.</summary>
    [JsonConverter(typeof(OperandJsonConverter))]
    public required TemplateValue Right { get; init; }

    /// <summary>What is computed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ComparisonOperation Operation { get; init; }

    /// <summary>The shape of the result; <see cref="ComparisonOutputFormat.Boolean"/> when absent.</summary>
    public ComparisonOutputFormat? OutputFormat { get; init; }
}
