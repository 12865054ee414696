using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>One field of an agent's final output (an entry of <c>output_schema</c>), filled from <see cref="Source"/>.</summary>
public sealed record OutputField
{
    /// <summary>The output field's name.</summary>
    public required string Name { get; init; }

    /// <summary>The expected JSON type (see <see cref="InputTypes"/>).</summary>
    public string? Type { get; init; }

    /// <summary>Where the value comes from, such as <c>step2.data.decision</c> (written with or without braces).</summary>
    [JsonConverter(typeof(ReferencePathJsonConverter))]
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal ReferencePath Source { get; init; } = new("missing");

    /// <summary>Where the value comes from, such as <c>step2.data.decision</c> (written with or without braces). The path as text, as the workflow is saved.</summary>
    [JsonIgnore]
    public string SourcePath => Source.ToString();

    /// <summary>A description for people and builders.</summary>
    public string? Description { get; init; }
}
