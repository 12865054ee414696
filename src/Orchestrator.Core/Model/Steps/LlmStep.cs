using System.Text.Json;
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
    [JsonInclude]
    internal TemplateValue? Prompt { get; init; }

    /// <summary>The prompt; when absent, <see cref="WorkflowStep.Description"/>, then <see cref="WorkflowStep.Name"/>, is the prompt. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? PromptJson => ExpressionJson.Of(Prompt);

    /// <summary>Values rendered into the prompt's context.</summary>
    [JsonInclude]
    internal TemplateValue? Params { get; init; }

    /// <summary>Values rendered into the prompt's context. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? ParamsJson => ExpressionJson.Of(Params);

    /// <summary>The data the LLM works on (<c>ai_processing</c>): evaluated and sent with the prompt.</summary>
    [JsonInclude]
    internal TemplateValue? Input { get; init; }

    /// <summary>The data the LLM works on (<c>ai_processing</c>): evaluated and sent with the prompt. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? InputJson => ExpressionJson.Of(Input);

    /// <summary>
    /// How the request is shaped (<c>ai_processing</c>): <c>ai_type</c> (classify, extract, summarize, generate, ...),
    /// <c>instruction</c> (the prompt when the step has none), <c>labels</c> (the answers a classification may give) and
    /// <c>output_schema.fields</c> (the fields of the JSON reply, checked when it arrives); <c>input</c> stands for
    /// <see cref="Input"/> when that is absent.
    /// </summary>
    [JsonInclude]
    internal TemplateValue? Config { get; init; }

    /// <summary>
    /// How the request is shaped (<c>ai_processing</c>): <c>ai_type</c>, <c>instruction</c>, <c>labels</c> and
    /// <c>output_schema.fields</c>. As JSON, in the form the workflow is saved in. Null when absent.
    /// </summary>
    [JsonIgnore]
    public JsonElement? ConfigJson => ExpressionJson.Of(Config);

    /// <summary>The model to ask, when the step names one.</summary>
    public string? Model { get; init; }

    /// <summary>The sampling temperature.</summary>
    public double? Temperature { get; init; }

    /// <summary>The most tokens the reply may have.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>A JSON Schema the reply must parse as and satisfy.</summary>
    [JsonConverter(typeof(LiteralValueJsonConverter))]
    [JsonInclude]
    internal LiteralValue? OutputSchema { get; init; }

    /// <summary>A JSON Schema the reply must parse as and satisfy. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? OutputSchemaJson => OutputSchema?.Value;

    /// <summary>The allowed answers of a decision; the reply must be one of them.</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> Options { get; init; }
}
