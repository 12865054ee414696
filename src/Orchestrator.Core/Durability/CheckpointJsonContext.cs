using System.Text.Json.Serialization;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Durability;

/// <summary>The source-generated JSON context of checkpoint records: camelCase, enums by name, defaults left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(StepCheckpoint))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext
{
}
