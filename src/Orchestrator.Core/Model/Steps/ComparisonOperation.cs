using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>What a <see cref="ComparisonStep"/> computes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ComparisonOperation>))]
public enum ComparisonOperation
{
    /// <summary><c>equals</c>.</summary>
    [JsonStringEnumMemberName("equals")]
    Equals,

    /// <summary><c>deep_equals</c>.</summary>
    [JsonStringEnumMemberName("deep_equals")]
    DeepEquals,

    /// <summary><c>diff</c>.</summary>
    [JsonStringEnumMemberName("diff")]
    Diff,

    /// <summary><c>contains</c>.</summary>
    [JsonStringEnumMemberName("contains")]
    Contains,

    /// <summary><c>subset</c>.</summary>
    [JsonStringEnumMemberName("subset")]
    Subset,
}
