using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>
/// <c>llm_decision</c> and <c>ai_processing</c>: asks the host's LLM to process or decide. One model for both;
/// <see cref="Kind"/> keeps the type name the step was written with.
/// </summary>
public sealed record LlmStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => Kind == LlmStepKind.Decision ? StepTypeNames.LlmDecision : StepTypeNames.AiProcessing;

    /// <summary>The type name the step is saved under.</summary>
    [JsonIgnore]
    public LlmStepKind Kind { get; init; }

    /// <summary>The prompt; when absent, <see cref="WorkflowStep.Description"/>, then <see cref="WorkflowStep.Name"/>, is the prompt.</summary>
    public TemplateValue? Prompt { get; init; }

    /// <summary>Values rendered into the prompt's context.</summary>
    public TemplateValue? Params { get; init; }

    /// <summary>The data the LLM works on (<c>ai_processing</c>): evaluated and sent with the prompt.</summary>
    public TemplateValue? Input { get; init; }

    /// <summary>
    /// How the request is shaped (<c>ai_processing</c>): <c>ai_type</c> (classify, extract, summarize, generate, ...),
    /// <c>instruction</c> (the prompt when the step has none), <c>labels</c> (the answers a classification may give) and
    /// <c>output_schema.fields</c> (the fields of the JSON reply, checked when it arrives); <c>input</c> stands for
    /// <see cref="Input"/> when that is absent.
    /// </summary>
    public TemplateValue? Config { get; init; }

    /// <summary>The model to ask, when the step names one.</summary>
    public string? Model { get; init; }

    /// <summary>The sampling temperature.</summary>
    public double? Temperature { get; init; }

    /// <summary>The most tokens the reply may have.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>A JSON Schema the reply must parse as and satisfy.</summary>
    [JsonConverter(typeof(LiteralValueJsonConverter))]
    public LiteralValue? OutputSchema { get; init; }

    /// <summary>The allowed answers of a decision; the reply must be one of them.</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> Options { get; init; }
}
