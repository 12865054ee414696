using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Expressions;

/// <summary>The spellings of <see cref="ConditionOperator"/> in the JSON format.</summary>
internal static class ConditionOperatorNames
{
    private static readonly Dictionary<string, ConditionOperator> s_byName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["=="] = ConditionOperator.Equal,
        ["="] = ConditionOperator.Equal,
        ["equals"] = ConditionOperator.Equal,
        ["!="] = ConditionOperator.NotEqual,
        ["not_equals"] = ConditionOperator.NotEqual,
        [">"] = ConditionOperator.GreaterThan,
        ["greater_than"] = ConditionOperator.GreaterThan,
        [">="] = ConditionOperator.GreaterThanOrEqual,
        ["greater_than_or_equal"] = ConditionOperator.GreaterThanOrEqual,
        ["<"] = ConditionOperator.LessThan,
        ["less_than"] = ConditionOperator.LessThan,
        ["<="] = ConditionOperator.LessThanOrEqual,
        ["less_than_or_equal"] = ConditionOperator.LessThanOrEqual,
        ["contains"] = ConditionOperator.Contains,
        ["not_contains"] = ConditionOperator.NotContains,
        ["in"] = ConditionOperator.In,
        ["not_in"] = ConditionOperator.NotIn,
        ["exists"] = ConditionOperator.Exists,
        ["not_exists"] = ConditionOperator.NotExists,
        ["is_empty"] = ConditionOperator.IsEmpty,
        ["is_not_empty"] = ConditionOperator.IsNotEmpty,
        ["matches"] = ConditionOperator.Matches,
        ["starts_with"] = ConditionOperator.StartsWith,
        ["ends_with"] = ConditionOperator.EndsWith,

        // The spellings agent platforms' compilers write (see docs/workflow-format.md, "Stored documents").
        ["eq"] = ConditionOperator.Equal,
        ["ne"] = ConditionOperator.NotEqual,
        ["gt"] = ConditionOperator.GreaterThan,
        ["gte"] = ConditionOperator.GreaterThanOrEqual,
        ["lt"] = ConditionOperator.LessThan,
        ["lte"] = ConditionOperator.LessThanOrEqual,
        ["not_empty"] = ConditionOperator.IsNotEmpty,
        ["matches_regex"] = ConditionOperator.Matches,
        ["contains_any"] = ConditionOperator.ContainsAny,
        ["within_last_days"] = ConditionOperator.WithinLastDays,
        ["before"] = ConditionOperator.Before,
        ["after"] = ConditionOperator.After,
    };

    /// <summary>Every accepted spelling, for error messages.</summary>
    public static string Known { get; } = string.Join(", ", s_byName.Keys);

    public static bool TryParse(string name, [NotNullWhen(true)] out ConditionOperator? result)
    {
        if (s_byName.TryGetValue(name, out var found))
        {
            result = found;
            return true;
        }

        result = null;
        return false;
    }

    /// <summary>Whether the operator compares against no value (<c>exists</c>, <c>is_empty</c>, ...).</summary>
    public static bool IsUnary(ConditionOperator op) =>
        op is ConditionOperator.Exists or ConditionOperator.NotExists or ConditionOperator.IsEmpty or ConditionOperator.IsNotEmpty;

    /// <summary>The canonical spelling written when saving.</summary>
    public static string ToName(ConditionOperator op) => op switch
    {
        ConditionOperator.Equal => "==",
        ConditionOperator.NotEqual => "!=",
        ConditionOperator.GreaterThan => ">",
        ConditionOperator.GreaterThanOrEqual => ">=",
        ConditionOperator.LessThan => "<",
        ConditionOperator.LessThanOrEqual => "<=",
        ConditionOperator.Contains => "contains",
        ConditionOperator.NotContains => "not_contains",
        ConditionOperator.In => "in",
        ConditionOperator.NotIn => "not_in",
        ConditionOperator.Exists => "exists",
        ConditionOperator.NotExists => "not_exists",
        ConditionOperator.IsEmpty => "is_empty",
        ConditionOperator.IsNotEmpty => "is_not_empty",
        ConditionOperator.Matches => "matches",
        ConditionOperator.StartsWith => "starts_with",
        ConditionOperator.EndsWith => "ends_with",
        ConditionOperator.ContainsAny => "contains_any",
        ConditionOperator.WithinLastDays => "within_last_days",
        ConditionOperator.Before => "before",
        ConditionOperator.After => "after",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
