using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>One declared input of an agent (an entry of <c>input_schema</c>).</summary>
public sealed record InputParameter
{
    /// <summary>The name steps read it by, as <c>{{input.name}}</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The expected JSON type: <c>string</c>, <c>number</c>, <c>integer</c>, <c>boolean</c>, <c>array</c> or <c>object</c> (see <see cref="InputTypes"/>).</summary>
    public string? Type { get; init; }

    /// <summary>Whether a run must supply it (unless it has a <see cref="Default"/>).</summary>
    public bool Required { get; init; }

    /// <summary>The value used when a run does not supply one.</summary>
    [JsonConverter(typeof(LiteralValueJsonConverter))]
    [JsonInclude]
    internal LiteralValue? Default { get; init; }

    /// <summary>The value used when a run does not supply one. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? DefaultJson => Default?.Value;

    /// <summary>A description for people and builders.</summary>
    public string? Description { get; init; }
}
