using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>Reuse of a step's stored result for the same resolved key (<c>cache</c>).</summary>
public sealed record CacheSettings
{
    /// <summary>Whether caching is on.</summary>
    public bool Enabled { get; init; }

    /// <summary>The cache key; may hold references. Without one, the step's resolved parameters are the key.</summary>
    [JsonInclude]
    internal TemplateValue? Key { get; init; }

    /// <summary>The cache key; may hold references. Without one, the step's resolved parameters are the key. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? KeyJson => ExpressionJson.Of(Key);

    /// <summary>How long a stored result stays valid (<c>ttl</c> in seconds in JSON).</summary>
    [JsonConverter(typeof(SecondsJsonConverter))]
    public TimeSpan? Ttl { get; init; }
}
