using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>One input of an <see cref="EnrichmentStep"/>.</summary>
public sealed record EnrichmentSource
{
    /// <summary>The name the source's value is stored under.</summary>
    public required string Key { get; init; }

    /// <summary>Where the value comes from: a reference (with or without braces).</summary>
    [JsonConverter(typeof(PathOrTemplateJsonConverter))]
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal TemplateValue From { get; init; } = LiteralValue.Null;

    /// <summary>Where the value comes from: a reference (with or without braces). As JSON, in the form the workflow is saved in.</summary>
    [JsonIgnore]
    public JsonElement FromJson => ExpressionJson.OfRequired(From);
}
