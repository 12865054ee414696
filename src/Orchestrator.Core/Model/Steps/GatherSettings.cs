using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>The gather half of a <see cref="ScatterGatherStep"/>: how per-item results are combined.</summary>
public sealed record GatherSettings
{
    /// <summary>The combination.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public GatherOperation Operation { get; init; }

    /// <summary>
    /// The per-item value gathered: the id or name of an inner step (its <c>data</c>), or a path into one such as
    /// <c>extract.total</c>. When absent, each item gathers an object of the inner steps' <c>data</c> keyed by step id.
    /// </summary>
    public string? From { get; init; }

    /// <summary>
    /// A name for the combined result, read like an <c>output_variable</c> (<c>{{processed_emails}}</c> is the step's
    /// data). It does not wrap the data: the step's data is the combined result itself.
    /// </summary>
    public string? OutputKey { get; init; }

    /// <summary>The fold applied by <see cref="GatherOperation.Reduce"/>.</summary>
    public string? ReduceExpression { get; init; }
}
