using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary><c>switch</c>: evaluates a value and runs the steps of the matching case (or the default); the other cases' steps are skipped.</summary>
public sealed record SwitchStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.Switch;

    /// <summary>The value switched on: a reference (with or without braces) or text with references.</summary>
    [JsonConverter(typeof(PathOrTemplateJsonConverter))]
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal TemplateValue Evaluate { get; init; } = LiteralValue.Null;

    /// <summary>The value switched on: a reference (with or without braces) or text with references. As JSON, in the form the workflow is saved in.</summary>
    [JsonIgnore]
    public JsonElement EvaluateJson => ExpressionJson.OfRequired(Evaluate);

    /// <summary>The cases, in document order (<c>{ "value": ["stepId", ...] }</c> in JSON).</summary>
    [JsonConverter(typeof(SwitchCasesJsonConverter))]
    public EquatableArray<SwitchCase> Cases { get; init; }

    /// <summary>Ids of the steps run when no case matches.</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> Default { get; init; }
}
