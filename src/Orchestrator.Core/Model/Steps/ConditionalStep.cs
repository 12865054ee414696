using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>
/// <c>conditional</c>: evaluates a condition; its data is <c>{ "result": bool }</c>. The steps named by the branch
/// that is not taken are skipped, and so is work that depends only on them.
/// </summary>
public sealed record ConditionalStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.Conditional;

    /// <summary>The condition.</summary>
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal Condition Condition { get; init; } = new TruthyCondition(LiteralValue.Null);

    /// <summary>The condition. As JSON, in the form the workflow is saved in.</summary>
    [JsonIgnore]
    public JsonElement ConditionJson => ExpressionJson.OfRequired(Condition);

    /// <summary>Ids of workflow steps that run only when the condition is true (a single id or a list in JSON).</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> TrueBranch { get; init; }

    /// <summary>Ids of workflow steps that run only when the condition is false (a single id or a list in JSON).</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> FalseBranch { get; init; }
}
