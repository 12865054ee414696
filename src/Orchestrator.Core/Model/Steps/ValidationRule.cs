using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>One rule of a <see cref="ValidationStep"/>.</summary>
public sealed record ValidationRule
{
    /// <summary>The field of the input the rule is about.</summary>
    public string? Field { get; init; }

    /// <summary>The condition the input must meet; inside it <c>item</c> is the validated input.</summary>
    [JsonInclude]
    internal Condition? Condition { get; init; }

    /// <summary>The condition the input must meet; inside it <c>item</c> is the validated input. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? ConditionJson => ExpressionJson.Of(Condition);

    /// <summary>The message reported when the rule fails.</summary>
    public string? Message { get; init; }
}
