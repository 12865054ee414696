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
    public required TemplateValue From { get; init; }
}
