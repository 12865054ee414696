using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Orchestrator.Dashboard.Pages;

/// <summary>Builds an HTML page: text is always encoded, markup is written as given; numbers and times are invariant.</summary>
internal sealed class Html
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };
    private readonly StringBuilder _builder = new(4096);

    /// <summary>Writes markup as it is (only literals and the results of the other methods).</summary>
    public Html Raw(string markup)
    {
        _builder.Append(markup);
        return this;
    }

    /// <summary>Writes text, encoded.</summary>
    public Html Text(string? text)
    {
        _builder.Append(E(text));
        return this;
    }

    public override string ToString() => _builder.ToString();

    /// <summary>Encodes text for an element or a quoted attribute.</summary>
    public static string E(string? text) => text is null ? string.Empty : HtmlEncoder.Default.Encode(text);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Money(decimal value) => "$" + value.ToString("0.000000", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Duration(TimeSpan value) => value.TotalMilliseconds switch
    {
        < 1000 => value.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        < 120_000 => value.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s",
        < 7_200_000 => value.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture) + " min",
        _ => value.TotalHours.ToString("0.0", CultureInfo.InvariantCulture) + " h",
    };

    public static string Percent(double value) => Math.Clamp(value, 0, 100).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    /// <summary>A JSON value indented for reading, cut at <paramref name="maxChars"/> characters.</summary>
    public static string Json(JsonElement value, int maxChars = 8000)
    {
        var text = JsonSerializer.Serialize(value, s_indented);
        return text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, maxChars), "\n... (", (text.Length - maxChars).ToString(CultureInfo.InvariantCulture), " more characters)");
    }

    /// <summary>A status badge; the class names the status so the styles (and a reader) can tell them apart.</summary>
    public static string Badge(string status) => "<span class=\"badge status-" + E(status.Replace(' ', '-')) + "\">" + E(status) + "</span>";

    /// <summary>A URL query value.</summary>
    public static string Q(string? value) => value is null ? string.Empty : Uri.EscapeDataString(value);
}
