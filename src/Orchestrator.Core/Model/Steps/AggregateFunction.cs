using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>The function of one <see cref="Aggregation"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AggregateFunction>))]
public enum AggregateFunction
{
    /// <summary><c>sum</c>.</summary>
    [JsonStringEnumMemberName("sum")]
    Sum,

    /// <summary><c>avg</c>.</summary>
    [JsonStringEnumMemberName("avg")]
    Average,

    /// <summary><c>min</c>.</summary>
    [JsonStringEnumMemberName("min")]
    Min,

    /// <summary><c>max</c>.</summary>
    [JsonStringEnumMemberName("max")]
    Max,

    /// <summary><c>count</c>.</summary>
    [JsonStringEnumMemberName("count")]
    Count,
}
