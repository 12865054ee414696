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
/// <item><c>contains</c>: a substring of a string (ordinal, case-sensitive; a number or boolean operand is matched as its text),
/// an element of a list (loose equality), a key of an object. <c>in</c> is <c>contains</c> with the operands swapped.
/// The negated forms are the plain negation: a missing list does "not contain" anything.</item>
/// <item><c>exists</c>: not missing and not null. <c>is_empty</c>: <see cref="JsonValues.IsEmpty"/>.</item>
/// <item><c>matches</c>: a regular expression (see <see cref="RegexCache"/>) over a string, number or boolean; an invalid pattern is false.</item>
/// <item><c>starts_with</c>/<c>ends_with</c>: ordinal, over the text of strings, numbers and booleans; false for anything else.</item>
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
    public static bool Apply(ConditionOperator op, JsonElement left, JsonElement right, bool patternIsLiteral = false) => op switch
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
        _ => false,
    };

    /// <summary>Whether <paramref name="container"/> holds <paramref name="part"/>: substring, list element or object key.</summary>
    public static bool Contains(JsonElement container, JsonElement part)
    {
        switch (container.ValueKind)
        {
            case JsonValueKind.String:
                return JsonKinds.TryGetScalarText(part, out var text) && container.GetString()!.Contains(text, StringComparison.Ordinal);
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
        var left = TemplateEvaluator.Evaluate(comparison.Left, scope);
        var right = TemplateEvaluator.Evaluate(comparison.Right, scope);
        return Apply(comparison.Operator, left, right, comparison.Right is LiteralValue);
    }

    private static bool Matches(JsonElement value, JsonElement pattern, bool patternIsLiteral) =>
        pattern.ValueKind == JsonValueKind.String
        && JsonKinds.TryGetScalarText(value, out var text)
        && RegexCache.IsMatch(text, pattern.GetString()!, patternIsLiteral);
}
