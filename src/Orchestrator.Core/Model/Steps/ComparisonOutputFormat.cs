using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>The shape of a <see cref="ComparisonStep"/>'s data.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ComparisonOutputFormat>))]
public enum ComparisonOutputFormat
{
    /// <summary><c>boolean</c>.</summary>
    [JsonStringEnumMemberName("boolean")]
    Boolean,

    /// <summary><c>diff</c>.</summary>
    [JsonStringEnumMemberName("diff")]
    Diff,

    /// <summary><c>detailed</c>.</summary>
    [JsonStringEnumMemberName("detailed")]
    Detailed,
}
