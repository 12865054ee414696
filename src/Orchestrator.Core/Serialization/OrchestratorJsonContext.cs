using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>The one source-generated JSON context of the library: every type it reads or writes is listed here.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    Converters =
    [
        typeof(StepListJsonConverter),
        typeof(InputParameterListJsonConverter),
        typeof(OutputFieldListJsonConverter),
        typeof(AggregationListJsonConverter),
        typeof(EnrichmentSourceListJsonConverter),
        typeof(ValidationRuleListJsonConverter),
    ])]
[JsonSerializable(typeof(WorkflowDefinition))]
[JsonSerializable(typeof(WorkflowStep))]
[JsonSerializable(typeof(ActionStep))]
[JsonSerializable(typeof(LlmStep))]
[JsonSerializable(typeof(ConditionalStep))]
[JsonSerializable(typeof(LoopStep))]
[JsonSerializable(typeof(TransformStep))]
[JsonSerializable(typeof(DelayStep))]
[JsonSerializable(typeof(ParallelGroupStep))]
[JsonSerializable(typeof(SwitchStep))]
[JsonSerializable(typeof(ScatterGatherStep))]
[JsonSerializable(typeof(EnrichmentStep))]
[JsonSerializable(typeof(ValidationStep))]
[JsonSerializable(typeof(ComparisonStep))]
[JsonSerializable(typeof(SubWorkflowStep))]
[JsonSerializable(typeof(HumanApprovalStep))]
[JsonSerializable(typeof(InputParameter[]))]
[JsonSerializable(typeof(OutputField[]))]
[JsonSerializable(typeof(Aggregation[]))]
[JsonSerializable(typeof(EnrichmentSource[]))]
[JsonSerializable(typeof(ValidationRule[]))]
[JsonSerializable(typeof(DataSchema))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OrchestratorJsonContext : JsonSerializerContext
{
}
