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
    public required TemplateValue Evaluate { get; init; }

    /// <summary>The cases, in document order (<c>{ "value": ["stepId", ...] }</c> in JSON).</summary>
    [JsonConverter(typeof(SwitchCasesJsonConverter))]
    public EquatableArray<SwitchCase> Cases { get; init; }

    /// <summary>Ids of the steps run when no case matches.</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> Default { get; init; }
}
