using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>The fold of a <c>reduce</c> transform.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReducerKind>))]
public enum ReducerKind
{
    /// <summary><c>sum</c>.</summary>
    [JsonStringEnumMemberName("sum")]
    Sum,

    /// <summary><c>count</c>.</summary>
    [JsonStringEnumMemberName("count")]
    Count,

    /// <summary><c>concat</c>.</summary>
    [JsonStringEnumMemberName("concat")]
    Concat,

    /// <summary><c>merge</c>.</summary>
    [JsonStringEnumMemberName("merge")]
    Merge,
}
