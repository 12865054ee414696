using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>The direction of a <c>sort</c> transform.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SortOrder>))]
public enum SortOrder
{
    /// <summary><c>asc</c>.</summary>
    [JsonStringEnumMemberName("asc")]
    Ascending,

    /// <summary><c>desc</c>.</summary>
    [JsonStringEnumMemberName("desc")]
    Descending,
}
