using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>
/// One step of a workflow. A closed union: the fifteen step types of the JSON format are the sealed records of
/// this namespace (<c>ActionStep</c>, <c>LlmStep</c>, ...), and no other type can derive from this one.
/// </summary>
/// <remarks>
/// The base fields below apply to every type. References and conditions in them are parsed when the workflow
/// is loaded; nothing is parsed again when it runs.
/// </remarks>
[JsonConverter(typeof(WorkflowStepJsonConverter))]
public abstract record WorkflowStep
{
    private protected WorkflowStep()
    {
    }

    /// <summary>The step's id, unique in its workflow (steps without one get <c>step1</c>, <c>step2</c>, ... by position).</summary>
    [JsonPropertyOrder(-3)]
    public required string Id { get; init; }

    /// <summary>The JSON <c>type</c> name this step is saved under, such as <c>action</c> or <c>ai_processing</c>.</summary>
    [JsonIgnore]
    public abstract string Type { get; }

    /// <summary>A name for people and logs.</summary>
    [JsonPropertyOrder(-2)]
    public string? Name { get; init; }

    /// <summary>A description for people and logs.</summary>
    [JsonPropertyOrder(-1)]
    public string? Description { get; init; }

    /// <summary>Free-form data for people and tools; never evaluated.</summary>
    [JsonConverter(typeof(LiteralValueJsonConverter))]
    [JsonInclude]
    internal LiteralValue? Metadata { get; init; }

    /// <summary>Free-form data for people and tools; never evaluated. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? MetadataJson => Metadata?.Value;

    /// <summary>Ids of steps that must finish before this one starts (the planner adds those it reads data from).</summary>
    [JsonConverter(typeof(StringListJsonConverter))]
    public EquatableArray<string> Dependencies { get; init; }

    /// <summary>When present and false at run time, the step is skipped and its dependents still run.</summary>
    [JsonInclude]
    internal Condition? ExecuteIf { get; init; }

    /// <summary>When present and false at run time, the step is skipped and its dependents still run. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? ExecuteIfJson => ExpressionJson.Of(ExecuteIf);

    /// <summary>When true, a failure does not fail the run: dependents still run and see <c>metadata.success = false</c>.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>A value that becomes the step's <c>data</c> when it fails, so that its dependents run.</summary>
    [JsonInclude]
    internal TemplateValue? Fallback { get; init; }

    /// <summary>A value that becomes the step's <c>data</c> when it fails, so that its dependents run. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? FallbackJson => ExpressionJson.Of(Fallback);

    /// <summary>How a failed attempt is retried.</summary>
    public RetryPolicy? RetryPolicy { get; init; }

    /// <summary>The time limit of one attempt (<c>timeout</c> in milliseconds in JSON).</summary>
    [JsonConverter(typeof(MillisecondsJsonConverter))]
    public TimeSpan? Timeout { get; init; }

    /// <summary>The plugin call that undoes this step when the run fails later.</summary>
    public RollbackAction? RollbackAction { get; init; }

    /// <summary>Reuse of a stored result for the same key.</summary>
    public CacheSettings? Cache { get; init; }

    /// <summary>
    /// A name for the step's <c>data</c> (<c>output_variable</c>; <c>outputVariable</c> is read too): <c>{{name}}</c> and
    /// <c>{{name.path}}</c> read it, and a step that does waits for this one. Inside a loop or scatter body it names the
    /// data of the current item's run of the step.
    /// </summary>
    [JsonPropertyName("output_variable")]
    public string? OutputVariable { get; init; }

    /// <summary>The declared shape of the step's data (<c>output_schema</c>): references into the data are checked against it when planning.</summary>
    [JsonPropertyName("output_schema")]
    [JsonConverter(typeof(DataSchemaJsonConverter))]
    public DataSchema? OutputDataSchema { get; init; }

    /// <summary>The declared shape of what the step works on (<c>input_schema</c>), for people and builders.</summary>
    [JsonPropertyName("input_schema")]
    [JsonConverter(typeof(DataSchemaJsonConverter))]
    public DataSchema? InputDataSchema { get; init; }
}
