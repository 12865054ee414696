using System.Globalization;
using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>
/// Parses the three condition forms. The expression grammar (recursive descent, linear, depth-limited):
/// <code>
/// or      := and ( '||' and )*
/// and     := unary ( '&amp;&amp;' unary )*
/// unary   := '!' unary | primary
/// primary := '(' or ')' | operand ( comparison operand | word-operator operand? )?
/// operand := number | 'text' | "text" | true | false | null | {{path}} | bare.path[0]
/// </code>
/// </summary>
internal static class ConditionParser
{
    /// <summary>How deeply conditions may nest before the input is rejected as hostile.</summary>
    internal const int MaxDepth = Execution.ExecutionLimits.ConditionDepthCeiling;

    /// <summary>The longest expression accepted.</summary>
    internal const int MaxExpressionLength = 16 * 1024;

    /// <summary>What a condition without 'field' reads: in a validation rule, the rule's field.</summary>
    private const string ValueName = "value";

    public static Condition Parse(JsonElement element) => Parse(element, 0);

    public static Condition ParseExpression(string text)
    {
        if (text.Length > MaxExpressionLength)
        {
            throw new TemplateSyntaxException($"Condition expression is longer than {MaxExpressionLength} characters.", 0);
        }

        var parser = new ExpressionReader(text);
        return parser.ParseAll();
    }

    private static Condition Parse(JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new TemplateSyntaxException($"Condition nests deeper than {MaxDepth} levels.");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Condition.Parse(element.GetString()!);
            case JsonValueKind.True or JsonValueKind.False:
                return new TruthyCondition(new LiteralValue(element));
            case JsonValueKind.Object:
                break;
            default:
                throw new TemplateSyntaxException($"A condition must be an object or an expression string, not {Describe(element.ValueKind)}.");
        }

        if (element.TryGetProperty("conditionType", out var conditionType))
        {
            var shaped = ParseConditionType(element, conditionType, depth);
            if (shaped is not null)
            {
                return shaped;
            }
        }
        else if (element.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String)
        {
            return ParseKind(element, kind.GetString()!, depth);
        }

        if (element.TryGetProperty("and", out var all))
        {
            return new AllCondition(ParseList(all, "and", depth));
        }

        if (element.TryGetProperty("or", out var any))
        {
            return new AnyCondition(ParseList(any, "or", depth));
        }

        if (element.TryGetProperty("not", out var inner))
        {
            return new NotCondition(Parse(inner, depth + 1));
        }

        var hasField = element.TryGetProperty("field", out var field);
        if (hasField && field.ValueKind != JsonValueKind.String)
        {
            throw new TemplateSyntaxException("A condition's 'field' must be a path such as \"step1.data.count\".");
        }

        if (!element.TryGetProperty("operator", out var opElement) || opElement.ValueKind != JsonValueKind.String)
        {
            throw hasField
                ? new TemplateSyntaxException($"The condition on '{field.GetString()}' needs an 'operator' ({ConditionOperatorNames.Known}).")
                : new TemplateSyntaxException("A condition object needs 'field' (a path such as \"step1.data.count\") and 'operator', or 'and', 'or', 'not', 'conditionType' or 'kind'.");
        }

        // Without 'field' the condition tests 'value': a validation rule's field (the rule's own 'field').
        var fieldText = hasField ? field.GetString()! : ValueName;

        var opName = opElement.GetString()!;
        if (!ConditionOperatorNames.TryParse(opName, out var op))
        {
            throw new TemplateSyntaxException($"Unknown condition operator '{opName}'; known operators: {ConditionOperatorNames.Known}.");
        }

        // A field with a template in it ("item.{{input.col}}") is filled in first, then read as a path when evaluated.
        TemplateValue left = fieldText.Contains("{{", StringComparison.Ordinal)
            ? TemplateValue.Parse(fieldText)
            : new ReferenceValue(ReferencePath.Parse(fieldText));
        TemplateValue? right = null;
        if (element.TryGetProperty("value", out var value))
        {
            right = TemplateValue.Parse(value);
        }
        else if (!ConditionOperatorNames.IsUnary(op.Value))
        {
            throw new TemplateSyntaxException($"The condition on '{field.GetString()}' with operator '{opName}' needs a 'value'.");
        }

        return new ComparisonCondition(left, op.Value, ConditionOperatorNames.IsUnary(op.Value) ? null : right);
    }

    /// <summary>The compiler's shapes: <c>conditionType: simple | complex_and | complex_or | complex_not</c>.</summary>
    /// <returns>The condition, or <see langword="null"/> for <c>simple</c> (read as the field form).</returns>
    private static Condition? ParseConditionType(JsonElement element, JsonElement conditionType, int depth)
    {
        var name = conditionType.ValueKind == JsonValueKind.String ? conditionType.GetString()! : conditionType.GetRawText();
        switch (name)
        {
            case "simple":
                return null;
            case "complex_and":
                return new AllCondition(ParseList(Required(element, "conditions", name), "conditions", depth));
            case "complex_or":
                return new AnyCondition(ParseList(Required(element, "conditions", name), "conditions", depth));
            case "complex_not":
                if (element.TryGetProperty("condition", out var inner))
                {
                    return new NotCondition(Parse(inner, depth + 1));
                }

                var list = ParseList(Required(element, "conditions", name), "conditions", depth);
                return list.Count == 1
                    ? new NotCondition(list[0])
                    : new NotCondition(new AllCondition(list));
            default:
                throw new TemplateSyntaxException($"Unknown conditionType '{name}'; known: simple, complex_and, complex_or, complex_not.");
        }
    }

    /// <summary>The typed-expression shape: <c>{kind: comparison | and | or | not, ...}</c> with <c>ref</c> and <c>literal</c> operands.</summary>
    private static Condition ParseKind(JsonElement element, string kind, int depth)
    {
        switch (kind)
        {
            case "and":
                return new AllCondition(ParseList(Required(element, "conditions", kind), "conditions", depth));
            case "or":
                return new AnyCondition(ParseList(Required(element, "conditions", kind), "conditions", depth));
            case "not":
                return new NotCondition(Parse(Required(element, "condition", kind), depth + 1));
            case "comparison":
                if (!element.TryGetProperty("operator", out var opElement) || opElement.ValueKind != JsonValueKind.String)
                {
                    throw new TemplateSyntaxException($"A 'comparison' condition needs an 'operator' ({ConditionOperatorNames.Known}).");
                }

                var opName = opElement.GetString()!;
                if (!ConditionOperatorNames.TryParse(opName, out var op))
                {
                    throw new TemplateSyntaxException($"Unknown condition operator '{opName}'; known operators: {ConditionOperatorNames.Known}.");
                }

                var left = ParseOperand(Required(element, "left", kind));
                var unary = ConditionOperatorNames.IsUnary(op.Value);
                TemplateValue? right = null;
                if (!unary)
                {
                    right = ParseOperand(Required(element, "right", kind));
                }

                return new ComparisonCondition(left, op.Value, right);
            default:
                throw new TemplateSyntaxException($"Unknown condition kind '{kind}'; known: comparison, and, or, not.");
        }
    }

    /// <summary>A typed operand: <c>{kind: "ref", ref, field?}</c> reads a path, <c>{kind: "literal", value}</c> is a value.</summary>
    public static TemplateValue ParseOperand(JsonElement operand)
    {
        if (operand.ValueKind != JsonValueKind.Object || !operand.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String)
        {
            return TemplateValue.Parse(operand);
        }

        switch (kind.GetString())
        {
            case "literal":
                return operand.TryGetProperty("value", out var value) ? new LiteralValue(value) : LiteralValue.Null;
            case "ref":
                if (!operand.TryGetProperty("ref", out var root) || root.ValueKind != JsonValueKind.String)
                {
                    throw new TemplateSyntaxException("A 'ref' operand needs 'ref' (the name read, such as \"item\" or \"input\").");
                }

                var path = root.GetString()!;
                if (operand.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String && field.GetString()!.Length > 0)
                {
                    path += "." + field.GetString();
                }

                return new ReferenceValue(ReferencePath.Parse(path));
            default:
                throw new TemplateSyntaxException($"Unknown operand kind '{kind.GetString()}'; known: ref, literal.");
        }
    }

    private static JsonElement Required(JsonElement element, string name, string shape) =>
        element.TryGetProperty(name, out var value)
            ? value
            : throw new TemplateSyntaxException($"A '{shape}' condition needs '{name}'.");

    private static EquatableArray<Condition> ParseList(JsonElement list, string name, int depth)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new TemplateSyntaxException($"'{name}' must be a list of conditions.");
        }

        var items = new Condition[list.GetArrayLength()];
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            items[i++] = Parse(item, depth + 1);
        }

        return EquatableArray<Condition>.UnsafeWrap(items);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>A cursor over one expression string.</summary>
    private ref struct ExpressionReader
    {
        private readonly string _text;
        private int _position;
        private int _depth;

        public ExpressionReader(string text)
        {
            _text = text;
            _position = 0;
            _depth = 0;
        }

        public Condition ParseAll()
        {
            SkipSpace();
            if (_position >= _text.Length)
            {
                throw new TemplateSyntaxException("Empty condition expression.", 0);
            }

            var result = ParseOr();
            SkipSpace();
            if (_position < _text.Length)
            {
                throw Error($"Unexpected '{_text[_position]}'");
            }

            return result;
        }

        private Condition ParseOr()
        {
            var first = ParseAnd();
            List<Condition>? rest = null;
            while (TryConsume("||"))
            {
                (rest ??= [first]).Add(ParseAnd());
            }

            return rest is null ? first : new AnyCondition(rest);
        }

        private Condition ParseAnd()
        {
            var first = ParseUnary();
            List<Condition>? rest = null;
            while (TryConsume("&&"))
            {
                (rest ??= [first]).Add(ParseUnary());
            }

            return rest is null ? first : new AllCondition(rest);
        }

        private Condition ParseUnary()
        {
            SkipSpace();
            if (Peek() == '!' && PeekAt(1) != '=')
            {
                _position++;
                Enter();
                var inner = ParseUnary();
                _depth--;
                return new NotCondition(inner);
            }

            return ParsePrimary();
        }

        private Condition ParsePrimary()
        {
            SkipSpace();
            if (Peek() == '(')
            {
                _position++;
                Enter();
                var inner = ParseOr();
                _depth--;
                if (!TryConsume(")"))
                {
                    throw Error("Expected ')'");
                }

                return inner;
            }

            var left = ParseOperand();
            SkipSpace();
            if (TryReadOperator(out var op))
            {
                if (ConditionOperatorNames.IsUnary(op))
                {
                    return new ComparisonCondition(left, op, null);
                }

                var right = ParseOperand();
                return new ComparisonCondition(left, op, right);
            }

            return new TruthyCondition(left);
        }

        private bool TryReadOperator(out ConditionOperator op)
        {
            SkipSpace();
            ReadOnlySpan<string> symbols = ["===", "!==", "==", "!=", ">=", "<=", ">", "<"];
            foreach (var symbol in symbols)
            {
                if (string.CompareOrdinal(_text, _position, symbol, 0, symbol.Length) == 0)
                {
                    _position += symbol.Length;
                    op = symbol switch
                    {
                        "===" or "==" => ConditionOperator.Equal,
                        "!==" or "!=" => ConditionOperator.NotEqual,
                        ">=" => ConditionOperator.GreaterThanOrEqual,
                        "<=" => ConditionOperator.LessThanOrEqual,
                        ">" => ConditionOperator.GreaterThan,
                        _ => ConditionOperator.LessThan,
                    };
                    return true;
                }
            }

            // Word operators: "contains", "starts_with", "equals", ...
            var start = _position;
            while (_position < _text.Length && (char.IsAsciiLetter(_text[_position]) || _text[_position] == '_'))
            {
                _position++;
            }

            if (_position > start && ConditionOperatorNames.TryParse(_text[start.._position], out var word))
            {
                op = word.Value;
                return true;
            }

            _position = start;
            op = default;
            return false;
        }

        private TemplateValue ParseOperand()
        {
            SkipSpace();
            if (_position >= _text.Length)
            {
                throw Error("Expected a value");
            }

            var c = _text[_position];
            if (c is '\'' or '"')
            {
                return LiteralValue.FromString(ReadQuoted(c));
            }

            if (c == '{' && PeekAt(1) == '{')
            {
                var close = _text.IndexOf("}}", _position + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw Error("Unterminated '{{'");
                }

                var path = TemplateParser.ParsePath(_text, _position + 2, close);
                _position = close + 2;
                return new ReferenceValue(path);
            }

            if (char.IsAsciiDigit(c) || (c is '-' or '+' && char.IsAsciiDigit(PeekAt(1))) || (c == '.' && char.IsAsciiDigit(PeekAt(1))))
            {
                return ReadNumber();
            }

            var start = _position;
            while (_position < _text.Length && (TemplateParser.IsNameChar(_text[_position]) || _text[_position] is '.' or '['))
            {
                if (_text[_position] == '[')
                {
                    var close = _text.IndexOf(']', _position);
                    _position = close < 0 ? _text.Length : close + 1;
                    continue;
                }

                _position++;
            }

            if (_position == start)
            {
                throw Error($"Expected a value but found '{c}'");
            }

            var word = _text[start.._position];
            return word switch
            {
                "true" => LiteralValue.FromJson("true"),
                "false" => LiteralValue.FromJson("false"),
                "null" or "undefined" => LiteralValue.Null,
                _ => new ReferenceValue(TemplateParser.ParsePath(_text, start, _position)),
            };
        }

        private LiteralValue ReadNumber()
        {
            var start = _position;
            if (_text[_position] is '-' or '+')
            {
                _position++;
            }

            while (_position < _text.Length && (char.IsAsciiDigit(_text[_position]) || _text[_position] is '.' or 'e' or 'E'
                || (_text[_position] is '-' or '+' && _text[_position - 1] is 'e' or 'E')))
            {
                _position++;
            }

            var span = _text.AsSpan(start, _position - start);
            if (!double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            {
                throw new TemplateSyntaxException($"Invalid number '{span}' at position {start}.", start);
            }

            // Keep the number as written when it is valid JSON (so large integers keep every digit); forms JSON does not
            // allow (".5", "5.", "007") are written as the double they denote.
            var json = span.TrimStart('+').ToString();
            return IsJsonNumber(json)
                ? LiteralValue.FromJson(json)
                : LiteralValue.FromJson(number.ToString("R", CultureInfo.InvariantCulture));
        }

        private static bool IsJsonNumber(string text)
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
            try
            {
                return reader.Read() && reader.TokenType == JsonTokenType.Number && !reader.Read();
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private string ReadQuoted(char quote)
        {
            var start = _position;
            _position++;
            var builder = new System.Text.StringBuilder();
            while (_position < _text.Length)
            {
                var c = _text[_position++];
                if (c == quote)
                {
                    return builder.ToString();
                }

                if (c == '\\' && _position < _text.Length)
                {
                    c = _text[_position++];
                }

                builder.Append(c);
            }

            throw new TemplateSyntaxException($"Unterminated string starting at position {start}.", start);
        }

        private void Enter()
        {
            if (++_depth > MaxDepth)
            {
                throw Error($"Condition nests deeper than {MaxDepth} levels");
            }
        }

        private bool TryConsume(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(_text, _position, token, 0, token.Length) == 0)
            {
                _position += token.Length;
                return true;
            }

            return false;
        }

        private void SkipSpace()
        {
            while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
            {
                _position++;
            }
        }

        private readonly char Peek() => _position < _text.Length ? _text[_position] : '\0';

        private readonly char PeekAt(int offset) => _position + offset < _text.Length ? _text[_position + offset] : '\0';

        private readonly TemplateSyntaxException Error(string message) =>
            new($"{message} at position {_position} in condition \"{_text}\".", _position);
    }
}
