using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>How an <see cref="EnrichmentStep"/> combines its sources.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnrichmentStrategy>))]
public enum EnrichmentStrategy
{
    /// <summary><c>merge</c>: a shallow merge, later sources winning.</summary>
    [JsonStringEnumMemberName("merge")]
    Merge,

    /// <summary><c>deep_merge</c>: objects merged recursively.</summary>
    [JsonStringEnumMemberName("deep_merge")]
    DeepMerge,

    /// <summary><c>join</c>: lists joined on <see cref="EnrichmentStep.JoinOn"/>.</summary>
    [JsonStringEnumMemberName("join")]
    Join,
}
