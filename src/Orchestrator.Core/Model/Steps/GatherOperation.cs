using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>How a <see cref="ScatterGatherStep"/> combines the per-item results.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GatherOperation>))]
public enum GatherOperation
{
    /// <summary><c>collect</c>: the list of per-item outputs, in item order.</summary>
    [JsonStringEnumMemberName("collect")]
    Collect,

    /// <summary><c>merge</c>: the per-item objects merged into one.</summary>
    [JsonStringEnumMemberName("merge")]
    Merge,

    /// <summary><c>reduce</c>: folded with the reduce expression.</summary>
    [JsonStringEnumMemberName("reduce")]
    Reduce,
}
