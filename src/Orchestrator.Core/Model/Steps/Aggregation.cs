using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>One figure of an <c>aggregate</c> transform.</summary>
public sealed record Aggregation
{
    /// <summary>The item field aggregated.</summary>
    public required string Field { get; init; }

    /// <summary>The function applied.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public AggregateFunction Operation { get; init; }

    /// <summary>The result's name; the field's name when absent.</summary>
    public string? Alias { get; init; }
}
