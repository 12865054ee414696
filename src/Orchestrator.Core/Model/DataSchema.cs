using System.Text.Json.Serialization;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>
/// The declared shape of a step's data (<c>output_schema</c>) or of what it works on (<c>input_schema</c>): a small,
/// JSON-Schema-like contract. The planner checks references into a step's data against its output schema.
/// </summary>
/// <remarks>
/// Only the keys below are read; others (such as the compiler's <c>source</c>) are annotations and are not kept.
/// A schema without <see cref="Properties"/> (or without <see cref="Items"/>) leaves that level open: any path is accepted.
/// </remarks>
[JsonConverter(typeof(DataSchemaJsonConverter))]
public sealed record DataSchema
{
    /// <summary>The JSON type: <c>object</c>, <c>array</c>, <c>string</c>, <c>number</c>, <c>integer</c>, <c>boolean</c>, ...</summary>
    public string? Type { get; init; }

    /// <summary>A description for people and builders.</summary>
    public string? Description { get; init; }

    /// <summary>What the value means (<c>semantic_type</c>), such as <c>email_message</c>.</summary>
    public string? SemanticType { get; init; }

    /// <summary>The declared properties of an object, in document order.</summary>
    public EquatableArray<DataSchemaProperty> Properties { get; init; }

    /// <summary>The schema of each element of an array.</summary>
    public DataSchema? Items { get; init; }

    /// <summary>The properties an object must have.</summary>
    public EquatableArray<string> Required { get; init; }

    /// <summary>Whether the schema declares its properties (so a name it does not list is not there).</summary>
    [JsonIgnore]
    public bool DeclaresProperties => !Properties.IsEmpty;

    /// <summary>The schema of the property <paramref name="name"/>, when declared.</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The property's schema, or <see langword="null"/> when it is not declared.</returns>
    public DataSchema? Property(string name)
    {
        foreach (var property in Properties)
        {
            if (property.Name == name)
            {
                return property.Schema;
            }
        }

        return null;
    }
}
