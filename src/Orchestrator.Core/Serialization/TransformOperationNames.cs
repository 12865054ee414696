using System.Diagnostics.CodeAnalysis;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>The spellings of <see cref="TransformOperation"/>: canonical names, and the aliases compilers write.</summary>
internal static class TransformOperationNames
{
    private static readonly Dictionary<string, TransformOperation> s_byName = new(StringComparer.Ordinal)
    {
        ["map"] = TransformOperation.Map,
        ["filter"] = TransformOperation.Filter,
        ["reduce"] = TransformOperation.Reduce,
        ["sort"] = TransformOperation.Sort,
        ["group"] = TransformOperation.Group,
        ["aggregate"] = TransformOperation.Aggregate,
        ["set"] = TransformOperation.Set,
        ["select"] = TransformOperation.Select,
        ["flatten"] = TransformOperation.Flatten,
        ["rows_to_objects"] = TransformOperation.RowsToObjects,
        ["with_fields"] = TransformOperation.WithFields,
        ["project_column"] = TransformOperation.ProjectColumn,
        ["set_difference"] = TransformOperation.SetDifference,
        ["deduplicate"] = TransformOperation.Deduplicate,
        ["split"] = TransformOperation.Split,
        ["expand"] = TransformOperation.Expand,
        ["partition"] = TransformOperation.Partition,
        ["group_by"] = TransformOperation.Group,
        ["dedupe"] = TransformOperation.Deduplicate,
    };

    private static readonly Dictionary<TransformOperation, string> s_names = BuildNames();

    /// <summary>Every accepted spelling, for error messages.</summary>
    public static string Known { get; } = string.Join(", ", s_byName.Keys);

    public static bool TryParse(string name, [NotNullWhen(true)] out TransformOperation? operation)
    {
        if (s_byName.TryGetValue(name, out var found))
        {
            operation = found;
            return true;
        }

        operation = null;
        return false;
    }

    /// <summary>The canonical name, written when saving.</summary>
    public static string ToName(TransformOperation operation) => s_names.TryGetValue(operation, out var name) ? name : operation.ToString();

    private static Dictionary<TransformOperation, string> BuildNames()
    {
        var names = new Dictionary<TransformOperation, string>();
        foreach (var (name, operation) in s_byName)
        {
            names.TryAdd(operation, name);
        }

        return names;
    }
}
