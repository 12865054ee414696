namespace Orchestrator.Core.Expressions;

/// <summary>The comparison a <see cref="ComparisonCondition"/> makes. Symbolic and word spellings map to the same value.</summary>
internal enum ConditionOperator
{
    /// <summary><c>==</c>, <c>equals</c>.</summary>
    Equal,

    /// <summary><c>!=</c>, <c>not_equals</c>.</summary>
    NotEqual,

    /// <summary><c>&gt;</c>, <c>greater_than</c>.</summary>
    GreaterThan,

    /// <summary><c>&gt;=</c>, <c>greater_than_or_equal</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>&lt;</c>, <c>less_than</c>.</summary>
    LessThan,

    /// <summary><c>&lt;=</c>, <c>less_than_or_equal</c>.</summary>
    LessThanOrEqual,

    /// <summary><c>contains</c>: a string contains a substring, or a list an element.</summary>
    Contains,

    /// <summary><c>not_contains</c>.</summary>
    NotContains,

    /// <summary><c>in</c>: the value is an element of the given list.</summary>
    In,

    /// <summary><c>not_in</c>.</summary>
    NotIn,

    /// <summary><c>exists</c>: the path resolves to a value other than <c>null</c>.</summary>
    Exists,

    /// <summary><c>not_exists</c>.</summary>
    NotExists,

    /// <summary><c>is_empty</c>: null, an empty string, list or object.</summary>
    IsEmpty,

    /// <summary><c>is_not_empty</c>.</summary>
    IsNotEmpty,

    /// <summary><c>matches</c>: a regular expression (run without backtracking and with a time limit).</summary>
    Matches,

    /// <summary><c>starts_with</c>.</summary>
    StartsWith,

    /// <summary><c>ends_with</c>.</summary>
    EndsWith,

    /// <summary><c>contains_any</c>: a string holds one of the given texts (case-insensitive), or a list one of the given elements; the texts may be a list or a comma-separated string.</summary>
    ContainsAny,

    /// <summary><c>within_last_days</c>: a date within the given number of days before now.</summary>
    WithinLastDays,

    /// <summary><c>before</c>: a date earlier than the given date.</summary>
    Before,

    /// <summary><c>after</c>: a date later than the given date.</summary>
    After,
}
