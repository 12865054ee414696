using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>What a <see cref="TransformStep"/> does to its input.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransformOperation>))]
public enum TransformOperation
{
    /// <summary><c>map</c>: each item reshaped by <see cref="TransformConfig.Mapping"/>.</summary>
    [JsonStringEnumMemberName("map")]
    Map,

    /// <summary><c>filter</c>: the items for which <see cref="TransformConfig.Condition"/> holds.</summary>
    [JsonStringEnumMemberName("filter")]
    Filter,

    /// <summary><c>reduce</c>: the items folded by <see cref="TransformConfig.Reducer"/>.</summary>
    [JsonStringEnumMemberName("reduce")]
    Reduce,

    /// <summary><c>sort</c>: the items ordered by <see cref="TransformConfig.Field"/>.</summary>
    [JsonStringEnumMemberName("sort")]
    Sort,

    /// <summary><c>group</c>: the items grouped by <see cref="TransformConfig.Field"/>.</summary>
    [JsonStringEnumMemberName("group")]
    Group,

    /// <summary><c>aggregate</c>: the items summarised by <see cref="TransformConfig.Aggregations"/>.</summary>
    [JsonStringEnumMemberName("aggregate")]
    Aggregate,

    /// <summary><c>set</c>: the input replaced by <see cref="TransformConfig.Mapping"/>.</summary>
    [JsonStringEnumMemberName("set")]
    Set,
}
