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
    public required Condition Condition { get; init; }

    /// <summary>Ids of workflow steps that run only when the condition is true (a single id or a list in JSON).</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> TrueBranch { get; init; }

    /// <summary>Ids of workflow steps that run only when the condition is false (a single id or a list in JSON).</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> FalseBranch { get; init; }
}
