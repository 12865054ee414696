using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary><c>loop</c>: runs its inline steps once per item of a list, with <c>{{current}}</c> and <c>{{index}}</c> inside.</summary>
public sealed record LoopStep : WorkflowStep
{
    /// <summary>The default of <see cref="MaxIterations"/>.</summary>
    public const int DefaultMaxIterations = 100;

    /// <inheritdoc />
    public override string Type => StepTypeNames.Loop;

    /// <summary>The list iterated over: a reference (with or without braces).</summary>
    [JsonConverter(typeof(PathOrTemplateJsonConverter))]
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal TemplateValue IterateOver { get; init; } = LiteralValue.Null;

    /// <summary>The list iterated over: a reference (with or without braces). As JSON, in the form the workflow is saved in.</summary>
    [JsonIgnore]
    public JsonElement IterateOverJson => ExpressionJson.OfRequired(IterateOver);

    /// <summary>The steps run for each item.</summary>
    public EquatableArray<WorkflowStep> LoopSteps { get; init; }

    /// <summary>The most items allowed (more fail the step); <see cref="DefaultMaxIterations"/> when absent.</summary>
    public int? MaxIterations { get; init; }

    /// <summary>Whether items run in parallel.</summary>
    public bool Parallel { get; init; }

    /// <summary>The most items run at once when <see cref="Parallel"/> is set.</summary>
    public int? MaxConcurrency { get; init; }
}
