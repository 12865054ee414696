using System.Globalization;
using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>
/// Parses references and templates. Hand-written and linear in the input: no regular expressions,
/// so hostile input cannot make it backtrack, and nothing it parses is ever executed.
/// </summary>
internal static class TemplateParser
{
    /// <summary>The longest reference accepted between braces; longer ones are rejected as hostile.</summary>
    internal const int MaxReferenceLength = 1024;

    public static TemplateValue ParseValue(JsonElement element)
    {
        if (!ContainsTemplate(element))
        {
            return new LiteralValue(element);
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return ParseString(element.GetString()!);
            case JsonValueKind.Array:
            {
                var items = new TemplateValue[element.GetArrayLength()];
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items[i++] = ParseValue(item);
                }

                return new ArrayTemplate(EquatableArray<TemplateValue>.UnsafeWrap(items));
            }

            default:
            {
                var properties = new List<TemplateProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    properties.Add(new TemplateProperty(property.Name, ParseValue(property.Value)));
                }

                return new ObjectTemplate(properties);
            }
        }
    }

    /// <summary>
    /// Parses a string: <c>{{path}}</c> is a reference, everything else is text. <c>\{{</c> is a literal <c>{{</c> (for
    /// text that contains braces, such as file contents or other template languages); before <c>{{</c>, <c>\\</c> is one
    /// literal backslash, so <c>\\{{x}}</c> is a backslash followed by the reference. Backslashes anywhere else are text.
    /// </summary>
    public static TemplateValue ParseString(string text)
    {
        var open = text.IndexOf("{{", StringComparison.Ordinal);
        if (open < 0)
        {
            // A lone '}}' is text: prompts often show JSON examples such as {"a": {"b": 1}}.
            return LiteralValue.FromString(text);
        }

        List<TemplatePart> parts = [];
        System.Text.StringBuilder? literal = null;
        var position = 0;
        var hasReference = false;
        while (open >= 0)
        {
            var backslashes = 0;
            while (open - backslashes - 1 >= position && text[open - backslashes - 1] == '\\')
            {
                backslashes++;
            }

            literal ??= new System.Text.StringBuilder();
            literal.Append(text, position, open - backslashes - position).Append('\\', backslashes / 2);
            if (backslashes % 2 == 1)
            {
                // Escaped: the braces are text.
                literal.Append("{{");
                position = open + 2;
                open = text.IndexOf("{{", position, StringComparison.Ordinal);
                continue;
            }

            if (literal.Length > 0)
            {
                parts.Add(TemplatePart.Literal(literal.ToString()));
                literal.Clear();
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new TemplateSyntaxException($"Unterminated reference: '{{{{' at position {open} has no closing '}}}}'.", open);
            }

            var reference = ParsePath(text, open + 2, close);
            parts.Add(TemplatePart.Of(reference));
            hasReference = true;
            position = close + 2;
            open = text.IndexOf("{{", position, StringComparison.Ordinal);
        }

        literal ??= new System.Text.StringBuilder();
        literal.Append(text, position, text.Length - position);
        if (literal.Length > 0)
        {
            parts.Add(TemplatePart.Literal(literal.ToString()));
        }

        // Only escapes and no reference: still a template (of text only), so that saving writes the escapes back.
        return hasReference && parts.Count == 1 && parts[0].Reference is { } whole
            ? new ReferenceValue(whole)
            : new TextTemplate(parts);
    }

    /// <summary>
    /// Writes <paramref name="text"/> so that <see cref="ParseString"/> reads it back as that text: each <c>{{</c> as
    /// <c>\{{</c> (the backslashes before it doubled), and, when a reference follows, the trailing backslashes doubled.
    /// </summary>
    internal static void AppendEscaped(System.Text.StringBuilder builder, string text, bool referenceFollows)
    {
        var position = 0;
        var open = text.IndexOf("{{", StringComparison.Ordinal);
        while (open >= 0)
        {
            var backslashes = 0;
            while (open - backslashes - 1 >= position && text[open - backslashes - 1] == '\\')
            {
                backslashes++;
            }

            builder.Append(text, position, open - backslashes - position).Append('\\', (backslashes * 2) + 1).Append("{{");
            position = open + 2;
            open = text.IndexOf("{{", position, StringComparison.Ordinal);
        }

        var end = text.Length;
        var trailing = 0;
        if (referenceFollows)
        {
            while (end - trailing - 1 >= position && text[end - trailing - 1] == '\\')
            {
                trailing++;
            }
        }

        builder.Append(text, position, end - trailing - position).Append('\\', trailing * 2);
    }

    /// <summary>Parses a path written bare (<c>step1.data.x</c>) or in braces (<c>{{step1.data.x}}</c>).</summary>
    public static ReferencePath ParseStandalonePath(string text)
    {
        var span = text.AsSpan().Trim();
        var start = text.Length - text.AsSpan().TrimStart().Length;
        var end = start + span.Length;
        if (span.StartsWith("{{", StringComparison.Ordinal) && span.EndsWith("}}", StringComparison.Ordinal) && span.Length >= 4)
        {
            start += 2;
            end -= 2;
        }

        return ParsePath(text, start, end);
    }

    /// <summary>Parses the reference in <paramref name="text"/> between <paramref name="start"/> and <paramref name="end"/> (exclusive).</summary>
    public static ReferencePath ParsePath(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (start == end)
        {
            throw new TemplateSyntaxException($"Empty reference at position {start}.", start);
        }

        if (end - start > MaxReferenceLength)
        {
            throw new TemplateSyntaxException($"Reference at position {start} is longer than {MaxReferenceLength} characters.", start);
        }

        var position = start;
        var root = ReadName(text, ref position, end);
        if (root is null)
        {
            throw Unexpected(text, position, "a name");
        }

        List<PathSegment>? segments = null;
        while (position < end)
        {
            var c = text[position];
            if (c == '.')
            {
                position++;
                var name = ReadName(text, ref position, end) ?? throw Unexpected(text, position, "a property name after '.'");
                (segments ??= []).Add(PathSegment.Property(name));
            }
            else if (c == '[')
            {
                position++;
                (segments ??= []).Add(ReadBracket(text, ref position, end));
            }
            else
            {
                throw Unexpected(text, position, "'.', '[' or the end of the reference");
            }
        }

        if (root == "inputs" && segments is not null)
        {
            root = "input"; // {{inputs.x}}, as the stored agents write it, is {{input.x}} (saved as such).
        }

        return new ReferencePath(root, segments is null ? default : EquatableArray<PathSegment>.UnsafeWrap([.. segments]));
    }

    internal static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$';

    private static string? ReadName(string text, ref int position, int end)
    {
        var start = position;
        while (position < end && IsNameChar(text[position]))
        {
            position++;
        }

        return position == start ? null : text[start..position];
    }

    private static PathSegment ReadBracket(string text, ref int position, int end)
    {
        if (position < end && text[position] == '*')
        {
            position++;
            Expect(text, ref position, end, ']');
            return PathSegment.Wildcard;
        }

        if (position < end && text[position] is '\'' or '"')
        {
            var quote = text[position];
            var close = text.IndexOf(quote, position + 1, end - position - 1);
            if (close < 0)
            {
                throw new TemplateSyntaxException($"Unterminated quoted key at position {position}.", position);
            }

            var name = text[(position + 1)..close];
            position = close + 1;
            Expect(text, ref position, end, ']');
            return PathSegment.Property(name);
        }

        var digitsStart = position;
        while (position < end && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        if (position == digitsStart
            || !int.TryParse(text.AsSpan(digitsStart, position - digitsStart), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw Unexpected(text, digitsStart, "a list index, '*' or a quoted key inside '[ ]'");
        }

        Expect(text, ref position, end, ']');
        return PathSegment.At(index);
    }

    private static void Expect(string text, ref int position, int end, char expected)
    {
        if (position >= end || text[position] != expected)
        {
            throw Unexpected(text, position, $"'{expected}'");
        }

        position++;
    }

    private static TemplateSyntaxException Unexpected(string text, int position, string expected)
    {
        var found = position < text.Length ? $"'{text[position]}'" : "the end";
        return new TemplateSyntaxException($"Expected {expected} at position {position} but found {found}.", position);
    }

    private static void AddText(List<TemplatePart> parts, string text, int start, int end)
    {
        parts.Add(TemplatePart.Literal(text[start..end]));
    }

    private static bool ContainsTemplate(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!;
                return text.Contains("{{", StringComparison.Ordinal);
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (ContainsTemplate(item))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (ContainsTemplate(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
