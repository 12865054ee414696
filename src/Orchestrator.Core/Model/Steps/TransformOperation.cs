using System.Text.Json.Serialization;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>What a <see cref="TransformStep"/> does to its input.</summary>
[JsonConverter(typeof(TransformOperationJsonConverter))]
public enum TransformOperation
{
    /// <summary><c>map</c>: each item reshaped by <see cref="TransformConfig.Mapping"/>.</summary>
    [JsonStringEnumMemberName("map")]
    Map,

    /// <summary><c>filter</c>: the items for which <see cref="TransformConfig.Condition"/> holds.</summary>
    [JsonStringEnumMemberName("filter")]
    Filter,

    /// <summary><c>reduce</c>: the items folded by <see cref="TransformConfig.Reducer"/>.</summary>
    [JsonStringEnumMemberName("reduce")]
    Reduce,

    /// <summary><c>sort</c>: the items ordered by <see cref="TransformConfig.Field"/>.</summary>
    [JsonStringEnumMemberName("sort")]
    Sort,

    /// <summary><c>group</c>: the items grouped by <see cref="TransformConfig.Field"/>.</summary>
    [JsonStringEnumMemberName("group")]
    Group,

    /// <summary><c>aggregate</c>: the items summarised by <see cref="TransformConfig.Aggregations"/>.</summary>
    [JsonStringEnumMemberName("aggregate")]
    Aggregate,

    /// <summary><c>set</c>: the input replaced by <see cref="TransformConfig.Mapping"/>.</summary>
    [JsonStringEnumMemberName("set")]
    Set,

    /// <summary><c>select</c>: an object of templates (<c>fields</c> as an object), or each item cut to the named <c>fields</c>.</summary>
    [JsonStringEnumMemberName("select")]
    Select,

    /// <summary><c>flatten</c>: nested lists spliced one level, or each item's <c>field</c> list as rows carrying the parent's fields.</summary>
    [JsonStringEnumMemberName("flatten")]
    Flatten,

    /// <summary><c>rows_to_objects</c>: a 2-D list (a sheet) to objects keyed by its header row.</summary>
    [JsonStringEnumMemberName("rows_to_objects")]
    RowsToObjects,

    /// <summary><c>with_fields</c>: each item with computed fields added.</summary>
    [JsonStringEnumMemberName("with_fields")]
    WithFields,

    /// <summary><c>project_column</c>: one value per item (a field, a path, or a cell by index).</summary>
    [JsonStringEnumMemberName("project_column")]
    ProjectColumn,

    /// <summary><c>set_difference</c>: the items whose key is not in a reference list.</summary>
    [JsonStringEnumMemberName("set_difference")]
    SetDifference,

    /// <summary><c>deduplicate</c> (also <c>dedupe</c>): the items without repeats.</summary>
    [JsonStringEnumMemberName("deduplicate")]
    Deduplicate,

    /// <summary><c>split</c>: the items in chunks.</summary>
    [JsonStringEnumMemberName("split")]
    Split,

    /// <summary><c>expand</c>: nested objects of each item as dotted keys.</summary>
    [JsonStringEnumMemberName("expand")]
    Expand,

    /// <summary><c>partition</c>: the items by the value of a field, with those without one apart.</summary>
    [JsonStringEnumMemberName("partition")]
    Partition,
}
