using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Cli.Tests.Compat;

/// <summary>
/// JSON written so that equal values give equal text: object properties sorted, numbers by value, no whitespace.
/// A missing or null parameters object is <c>{}</c> (a step with no <c>params</c>).
/// </summary>
internal static class CanonicalJson
{
    private static readonly JsonSerializerOptions RelaxedStrings = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The canonical text of <paramref name="element"/>, leaving out the top-level properties named in <paramref name="ignore"/>.</summary>
    public static string Write(JsonElement element, IReadOnlyCollection<string> ignore)
    {
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return "{}";
        }

        var builder = new StringBuilder();
        Append(builder, element, ignore);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, JsonElement element, IReadOnlyCollection<string> ignore)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject().Where(p => !ignore.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    builder.Append(first ? string.Empty : ",").Append(JsonSerializer.Serialize(property.Name)).Append(':');
                    Append(builder, property.Value, []);
                    first = false;
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    builder.Append(index++ == 0 ? string.Empty : ",");
                    Append(builder, item, []);
                }

                builder.Append(']');
                break;
            case JsonValueKind.Number:
                builder.Append(NumberText(element));
                break;
            case JsonValueKind.String:
                // The same string written with or without escapes ("\u003C" or "<") is the same value.
                builder.Append(JsonSerializer.Serialize(element.GetString(), RelaxedStrings));
                break;
            default:
                builder.Append(element.GetRawText());
                break;
        }
    }

    private static string NumberText(JsonElement number)
    {
        var text = number.GetDecimal().ToString(CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
    }
}
