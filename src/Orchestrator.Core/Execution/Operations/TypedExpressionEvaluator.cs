using System.Text;
using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// Evaluates the typed expressions the workflow compiler writes in <c>with_fields</c> and <c>map</c>
/// (<c>{"kind": ...}</c>): <c>ref</c> (a path from <c>ref</c> and <c>field</c>), <c>literal</c>, <c>concat</c> (the text of
/// its <c>args</c>, null as empty), <c>null_check</c> (whether <c>value</c> is null or missing; <c>invert</c> asks the
/// opposite), <c>all_not_null</c> (whether every item field named in <c>refs</c> is present and not null), <c>if</c>
/// (<c>condition</c>, <c>then</c>, <c>else</c>), and any condition shape (its truth). Anything else (a string, a number,
/// an object without <c>kind</c>) is a template filled in in the item's scope.
/// </summary>
internal static class TypedExpressionEvaluator
{
    /// <summary>Evaluates an expression; a malformed one throws <see cref="TemplateSyntaxException"/>.</summary>
    public static JsonElement Evaluate(JsonElement expression, ValueScope scope)
    {
        if (expression.ValueKind != JsonValueKind.Object || !expression.TryGetProperty("kind", out var kindElement)
            || kindElement.ValueKind != JsonValueKind.String)
        {
            return TemplateEvaluator.Evaluate(TemplateValue.Parse(expression), scope);
        }

        var kind = kindElement.GetString()!;
        switch (kind)
        {
            case "ref" or "literal":
                return TemplateEvaluator.Evaluate(ConditionParser.ParseOperand(expression), scope);
            case "concat":
            {
                var builder = new StringBuilder();
                if (expression.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array)
                {
                    foreach (var arg in args.EnumerateArray())
                    {
                        builder.Append(JsonValues.ToText(Evaluate(arg, scope)));
                    }
                }

                return JsonValues.FromString(builder.ToString());
            }

            case "null_check":
            {
                var value = expression.TryGetProperty("value", out var operand) ? Evaluate(operand, scope) : default;
                var isNull = JsonKinds.IsNullOrMissing(value);
                var invert = expression.TryGetProperty("invert", out var flag) && flag.ValueKind == JsonValueKind.True;
                return JsonValues.FromBoolean(invert ? !isNull : isNull);
            }

            case "all_not_null":
            {
                var item = scope.TryResolveRoot(ItemScope.ItemName, out var current, out _) ? current : default;
                if (expression.TryGetProperty("refs", out var refs) && refs.ValueKind == JsonValueKind.Array)
                {
                    foreach (var field in refs.EnumerateArray())
                    {
                        var value = field.ValueKind == JsonValueKind.String
                            ? FieldPath.Read(item, FieldPath.Parse(field.GetString()!))
                            : Evaluate(field, scope);
                        if (JsonKinds.IsNullOrMissing(value))
                        {
                            return JsonValues.False;
                        }
                    }
                }

                return JsonValues.True;
            }

            case "if":
            {
                var condition = expression.TryGetProperty("condition", out var c)
                    ? ConditionParser.Parse(c)
                    : throw new TemplateSyntaxException("An 'if' expression needs a 'condition'.");
                var branch = ConditionEvaluator.Evaluate(condition, scope) ? "then" : "else";
                return expression.TryGetProperty(branch, out var chosen) ? Evaluate(chosen, scope) : JsonValues.Null;
            }

            default:
                // comparison / and / or / not: a condition, whose value is its truth.
                return JsonValues.FromBoolean(ConditionEvaluator.Evaluate(ConditionParser.Parse(expression), scope));
        }
    }
}
