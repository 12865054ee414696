using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>The settings of a <see cref="TransformStep"/> (<c>config</c>); which apply depends on the operation.</summary>
public sealed record TransformConfig
{
    /// <summary>For <c>map</c> and <c>set</c>: the output shape; inside it <c>{{item...}}</c> is the current item.</summary>
    [JsonInclude]
    internal TemplateValue? Mapping { get; init; }

    /// <summary>For <c>map</c> and <c>set</c>: the output shape; inside it <c>{{item...}}</c> is the current item. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? MappingJson => ExpressionJson.Of(Mapping);

    /// <summary>For <c>filter</c>: the condition an item must meet; <c>item</c> is the current item.</summary>
    [JsonInclude]
    internal Condition? Condition { get; init; }

    /// <summary>For <c>filter</c>: the condition an item must meet; <c>item</c> is the current item. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? ConditionJson => ExpressionJson.Of(Condition);

    /// <summary>For <c>reduce</c>: the fold.</summary>
    public ReducerKind? Reducer { get; init; }

    /// <summary>For <c>reduce</c>: the starting value.</summary>
    [JsonInclude]
    internal TemplateValue? InitialValue { get; init; }

    /// <summary>For <c>reduce</c>: the starting value. As JSON, in the form the workflow is saved in. Null when absent.</summary>
    [JsonIgnore]
    public JsonElement? InitialValueJson => ExpressionJson.Of(InitialValue);

    /// <summary>For <c>sort</c>, <c>group</c> and <c>reduce</c>: the item field used.</summary>
    public string? Field { get; init; }

    /// <summary>For <c>sort</c>: the direction; ascending when absent.</summary>
    public SortOrder? Order { get; init; }

    /// <summary>For <c>aggregate</c>: the figures computed.</summary>
    public EquatableArray<Aggregation> Aggregations { get; init; }

    /// <summary>
    /// The settings of the operations agent platforms' compiler writes, as written (<c>fields</c>, <c>columns</c>,
    /// <c>add_headers</c>, <c>sort_by</c>, <c>output_format</c>, <c>key_field</c>, <c>reference</c>, <c>_on_empty</c>, ...);
    /// templates in them are filled in when the step runs. The loader reports names no operation reads.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Settings { get; set; }
}
