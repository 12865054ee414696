using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// Decides a <see cref="Condition"/> against the values of a scope. Operands are filled in with
/// <see cref="TemplateEvaluator"/> (a missing reference is null), so data of any shape gives an answer and nothing throws.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>==</c>/<c>!=</c>: <see cref="JsonValues.LooseEquals"/> (numbers by value, <c>"3" == 3</c>, missing == null).</item>
/// <item><c>&gt; &gt;= &lt; &lt;=</c>: <see cref="JsonValues.Compare"/>; values that cannot be ordered (a number and a word, null) make every ordering false.</item>
/// <item><c>contains</c>: a substring of a string (ordinal, case-insensitive; a number or boolean operand is matched as its text),
/// an element of a list (loose equality), a key of an object. <c>in</c> is <c>contains</c> with the operands swapped.
/// The negated forms are the plain negation: a missing list does "not contain" anything.</item>
/// <item><c>exists</c>: not missing and not null. <c>is_empty</c>: <see cref="JsonValues.IsEmpty"/>.</item>
/// <item><c>matches</c>: a regular expression (see <see cref="RegexCache"/>) over a string, number or boolean; an invalid pattern is false.</item>
/// <item><c>starts_with</c>/<c>ends_with</c>: ordinal, over the text of strings, numbers and booleans; false for anything else.</item>
/// <item><c>contains_any</c>: see <see cref="ContainsAny"/>. <c>before</c>/<c>after</c>/<c>within_last_days</c>: dates
/// (<see cref="TryGetDate"/>); anything that is not a date makes them false.</item>
/// <item><c>and</c>/<c>or</c> short-circuit; an empty <c>and</c> is true, an empty <c>or</c> false.</item>
/// </list>
/// </remarks>
internal static class ConditionEvaluator
{
    public static bool Evaluate(Condition condition, ValueScope scope)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(scope);
        switch (condition)
        {
            case ComparisonCondition comparison:
                return EvaluateComparison(comparison, scope);
            case AllCondition all:
                foreach (var inner in all.Conditions)
                {
                    if (!Evaluate(inner, scope))
                    {
                        return false;
                    }
                }

                return true;
            case AnyCondition any:
                foreach (var inner in any.Conditions)
                {
                    if (Evaluate(inner, scope))
                    {
                        return true;
                    }
                }

                return false;
            case NotCondition not:
                return !Evaluate(not.Inner, scope);
            case TruthyCondition truthy:
                return JsonValues.IsTruthy(TemplateEvaluator.Evaluate(truthy.Operand, scope));
            case ExpressionCondition expression:
                return Evaluate(expression.Parsed, scope);
            default:
                return false; // The union is closed; an unknown subtype is a bug, not a reason to fail a run.
        }
    }

    /// <summary>Applies an operator to two values already filled in.</summary>
    /// <param name="op">The operator.</param>
    /// <param name="left">The value tested.</param>
    /// <param name="right">The operand; undefined when the operator takes none.</param>
    /// <param name="patternIsLiteral">For <c>matches</c>: whether the pattern is written in the workflow (cached) rather than read from data.</param>
    /// <param name="now">For <c>within_last_days</c>: the current time (the run's <see cref="TimeProvider"/>).</param>
    public static bool Apply(ConditionOperator op, JsonElement left, JsonElement right, bool patternIsLiteral = false, DateTimeOffset now = default) => op switch
    {
        ConditionOperator.Equal => JsonValues.LooseEquals(left, right),
        ConditionOperator.NotEqual => !JsonValues.LooseEquals(left, right),
        ConditionOperator.GreaterThan => JsonValues.Compare(left, right) is > 0,
        ConditionOperator.GreaterThanOrEqual => JsonValues.Compare(left, right) is >= 0,
        ConditionOperator.LessThan => JsonValues.Compare(left, right) is < 0,
        ConditionOperator.LessThanOrEqual => JsonValues.Compare(left, right) is <= 0,
        ConditionOperator.Contains => Contains(left, right),
        ConditionOperator.NotContains => !Contains(left, right),
        ConditionOperator.In => Contains(right, left),
        ConditionOperator.NotIn => !Contains(right, left),
        ConditionOperator.Exists => !JsonKinds.IsNullOrMissing(left),
        ConditionOperator.NotExists => JsonKinds.IsNullOrMissing(left),
        ConditionOperator.IsEmpty => JsonValues.IsEmpty(left),
        ConditionOperator.IsNotEmpty => !JsonValues.IsEmpty(left),
        ConditionOperator.Matches => Matches(left, right, patternIsLiteral),
        ConditionOperator.StartsWith => JsonKinds.TryGetScalarText(left, out var l) && JsonKinds.TryGetScalarText(right, out var r) && l.StartsWith(r, StringComparison.Ordinal),
        ConditionOperator.EndsWith => JsonKinds.TryGetScalarText(left, out var l) && JsonKinds.TryGetScalarText(right, out var r) && l.EndsWith(r, StringComparison.Ordinal),
        ConditionOperator.ContainsAny => ContainsAny(left, right),
        ConditionOperator.WithinLastDays => TryGetDate(left, out var date) && JsonValues.TryGetNumber(right, out var days)
            && date <= now && date >= now.AddDays(-days),
        ConditionOperator.Before => TryGetDate(left, out var l) && TryGetDate(right, out var r) && l < r,
        ConditionOperator.After => TryGetDate(left, out var l) && TryGetDate(right, out var r) && l > r,
        _ => false,
    };

    /// <summary>Whether a value is a date: an ISO 8601 (or other invariant) date string; a date without a zone is UTC.</summary>
    public static bool TryGetDate(JsonElement value, out DateTimeOffset date)
    {
        date = default;
        return value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);
    }

    /// <summary>
    /// <c>contains_any</c>: the needles are the elements of a list, or the comma-separated parts of a string. A string
    /// holds a needle as a case-insensitive substring; a list holds it as an element (strings compared case-insensitively).
    /// </summary>
    public static bool ContainsAny(JsonElement container, JsonElement needles)
    {
        if (needles.ValueKind == JsonValueKind.Array)
        {
            foreach (var needle in needles.EnumerateArray())
            {
                if (HoldsIgnoreCase(container, needle))
                {
                    return true;
                }
            }

            return false;
        }

        if (needles.ValueKind == JsonValueKind.String)
        {
            foreach (var part in needles.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (HoldsIgnoreCase(container, JsonValues.FromString(part)))
                {
                    return true;
                }
            }

            return false;
        }

        return !JsonKinds.IsNullOrMissing(needles) && HoldsIgnoreCase(container, needles);
    }

    private static bool HoldsIgnoreCase(JsonElement container, JsonElement needle)
    {
        if (container.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in container.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.String && needle.ValueKind == JsonValueKind.String
                    ? string.Equals(element.GetString(), needle.GetString(), StringComparison.OrdinalIgnoreCase)
                    : JsonValues.LooseEquals(element, needle))
                {
                    return true;
                }
            }

            return false;
        }

        return Contains(container, needle);
    }

    /// <summary>Whether <paramref name="container"/> holds <paramref name="part"/>: substring, list element or object key.</summary>
    public static bool Contains(JsonElement container, JsonElement part)
    {
        switch (container.ValueKind)
        {
            case JsonValueKind.String:
                return JsonKinds.TryGetScalarText(part, out var text) && container.GetString()!.Contains(text, StringComparison.OrdinalIgnoreCase);
            case JsonValueKind.Array:
                foreach (var element in container.EnumerateArray())
                {
                    if (JsonValues.LooseEquals(element, part))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Object:
                return part.ValueKind == JsonValueKind.String && container.TryGetProperty(part.GetString()!, out _);
            default:
                return false;
        }
    }

    private static bool EvaluateComparison(ComparisonCondition comparison, ValueScope scope)
    {
        var left = comparison.Left is TextTemplate dynamicPath
            ? ReadDynamicPath(dynamicPath, scope)
            : TemplateEvaluator.Evaluate(comparison.Left, scope);
        var right = TemplateEvaluator.Evaluate(comparison.Right, scope);
        var now = comparison.Operator == ConditionOperator.WithinLastDays ? scope.Time.GetUtcNow() : default;
        return Apply(comparison.Operator, left, right, comparison.Right is LiteralValue, now);
    }

    /// <summary>A field written with a template in it (<c>item.{{input.col}}</c>): filled in, then read as a path; missing when it is not one.</summary>
    private static JsonElement ReadDynamicPath(TextTemplate field, ValueScope scope)
    {
        var text = JsonValues.ToText(TemplateEvaluator.Evaluate(field, scope));
        try
        {
            return TemplateEvaluator.Evaluate(new ReferenceValue(ReferencePath.Parse(text)), scope);
        }
        catch (TemplateSyntaxException)
        {
            return default;
        }
    }

    private static bool Matches(JsonElement value, JsonElement pattern, bool patternIsLiteral) =>
        pattern.ValueKind == JsonValueKind.String
        && JsonKinds.TryGetScalarText(value, out var text)
        && RegexCache.IsMatch(text, pattern.GetString()!, patternIsLiteral);
}
