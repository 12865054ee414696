using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>
/// A parsed condition, in any of the format's three forms: a comparison object
/// (<c>{ "field", "operator", "value" }</c>), a combinator (<c>and</c>, <c>or</c>, <c>not</c>) or an expression string.
/// A closed union: <see cref="ComparisonCondition"/>, <see cref="AllCondition"/>, <see cref="AnyCondition"/>,
/// <see cref="NotCondition"/>, <see cref="TruthyCondition"/> and <see cref="ExpressionCondition"/>.
/// </summary>
/// <remarks>Conditions are parsed once when the workflow is loaded; evaluating one never runs code.</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Serialization.ConditionJsonConverter))]
internal abstract record Condition
{
    private protected Condition()
    {
    }

    /// <summary>Parses a condition in object form or as an expression string.</summary>
    /// <param name="element">The JSON value.</param>
    /// <returns>The parsed condition.</returns>
    /// <exception cref="TemplateSyntaxException">The condition is malformed.</exception>
    public static Condition Parse(JsonElement element) => ConditionParser.Parse(element);

    /// <summary>Parses an expression such as <c>step3.data.decision == 'urgent' &amp;&amp; {{input.level}} &gt; 2</c>.</summary>
    /// <param name="expression">The expression text.</param>
    /// <returns>The parsed condition, which keeps the text for saving.</returns>
    /// <exception cref="TemplateSyntaxException">The expression is malformed.</exception>
    public static Condition Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new ExpressionCondition(expression, ConditionParser.ParseExpression(expression));
    }

    /// <summary>Adds every reference the condition reads to <paramref name="sink"/>.</summary>
    /// <param name="sink">The list to add to.</param>
    public abstract void CollectReferences(ICollection<ReferencePath> sink);

    /// <summary>Writes the condition in the form it was read in.</summary>
    /// <param name="writer">The writer.</param>
    public abstract void WriteTo(Utf8JsonWriter writer);
}
