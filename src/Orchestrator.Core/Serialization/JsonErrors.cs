using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>Turns serializer failures into messages a workflow author understands.</summary>
internal static partial class JsonErrors
{
    /// <summary>Friendly names of the .NET types the serializer may say it could not convert to.</summary>
    private static readonly Dictionary<string, string> s_expected = new(StringComparer.Ordinal)
    {
        ["System.Int32"] = "a whole number",
        ["System.Int64"] = "a whole number",
        ["System.Double"] = "a number",
        ["System.Boolean"] = "true or false",
        ["System.String"] = "a string",
        ["System.TimeSpan"] = "a number of milliseconds",
        [typeof(TransformOperation).FullName!] = "one of map, filter, reduce, sort, group, aggregate, set, select, flatten, rows_to_objects, with_fields, project_column, set_difference, deduplicate, split, expand, partition (aliases group_by, dedupe)",
        [typeof(GatherOperation).FullName!] = "one of collect, merge, reduce",
        [typeof(ReducerKind).FullName!] = "one of sum, count, concat, merge",
        [typeof(SortOrder).FullName!] = "one of asc, desc",
        [typeof(AggregateFunction).FullName!] = "one of sum, avg, min, max, count",
        [typeof(EnrichmentStrategy).FullName!] = "one of merge, deep_merge, join",
        [typeof(ValidationFailureAction).FullName!] = "one of throw, continue, skip",
        [typeof(ComparisonOperation).FullName!] = "one of equals, deep_equals, diff, contains, subset",
        [typeof(ComparisonOutputFormat).FullName!] = "one of boolean, diff, detailed",
        [typeof(SubWorkflowErrorMode).FullName!] = "one of throw, continue, return_error",
        [typeof(ApprovalType).FullName!] = "one of any, all, majority",
        [typeof(ApprovalTimeoutAction).FullName!] = "one of approve, reject, escalate",
    };

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Runs a parse, turning a syntax error into the serializer's exception type so it carries the JSON path.</summary>
    public static T Guard<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (TemplateSyntaxException ex)
        {
            throw new WorkflowJsonException(DiagnosticCodes.InvalidExpression, ex.Message, ex);
        }
    }

    public static TimeSpan ReadDuration(ref Utf8JsonReader reader, Func<double, TimeSpan> fromUnits, string unit)
    {
        double value;
        if (reader.TokenType == JsonTokenType.Number)
        {
            value = reader.GetDouble();
        }
        else if (reader.TokenType == JsonTokenType.String
            && double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            // Some builders wrote numbers as strings ("timeout": "30000"); they are read as the number they hold.
            value = parsed;
        }
        else
        {
            throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"Expected a number of {unit}, not {Describe(reader.TokenType)}.");
        }

        if (!double.IsFinite(value) || value < 0 || value > TimeSpan.MaxValue.TotalMilliseconds / 1000)
        {
            throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"Expected a non-negative number of {unit}, not {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return fromUnits(value);
    }

    /// <summary>
    /// What a top-level field of <paramref name="owner"/> expects, when <paramref name="exception"/> says a value of that
    /// field could not be converted; <see langword="null"/> when the field or its type is not one this class can name.
    /// </summary>
    /// <param name="owner">The metadata of the object being read.</param>
    /// <param name="field">The field's JSON name.</param>
    /// <param name="exception">The serializer's exception.</param>
    /// <returns>A friendly description of the expected value, or <see langword="null"/>.</returns>
    public static string? ExpectedValueOf(JsonTypeInfo owner, string field, JsonException exception)
    {
        if (!ConversionPattern().IsMatch(exception.Message))
        {
            return null;
        }

        foreach (var property in owner.Properties)
        {
            if (string.Equals(property.Name, field, StringComparison.OrdinalIgnoreCase))
            {
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                return type.FullName is { } name && s_expected.TryGetValue(name, out var friendly) ? friendly : null;
            }
        }

        return null;
    }

    /// <summary>Turns a serializer exception into a diagnostic code and a message without .NET type names.</summary>
    public static (string Code, string Message) Translate(JsonException exception)
    {
        if (exception is WorkflowJsonException known)
        {
            return (known.Code, known.Message);
        }

        var message = exception.Message;
        var missing = MissingPropertiesPattern().Match(message);
        if (missing.Success)
        {
            var fields = string.Join(", ", missing.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            return (DiagnosticCodes.MissingField, $"Missing required field(s): {fields.Replace("'", string.Empty, StringComparison.Ordinal)}.");
        }

        var conversion = ConversionPattern().Match(message);
        if (conversion.Success)
        {
            var type = conversion.Groups["type"].Value;
            var nullable = NullablePattern().Match(type);
            if (nullable.Success)
            {
                type = nullable.Groups["inner"].Value;
            }

            var expected = s_expected.TryGetValue(type, out var friendly) ? friendly : "a value of another type";
            return (DiagnosticCodes.InvalidValue, $"Wrong value: expected {expected}.");
        }

        // Anything else the serializer says; cut the location suffix, which the diagnostic carries separately.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (DiagnosticCodes.InvalidValue, cut > 0 ? message[..cut] : message);
    }

    [GeneratedRegex(@"missing required properties including: (?<names>[^.]*)\.?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex MissingPropertiesPattern();

    [GeneratedRegex(@"could not be converted to (?<type>[\w.`\[\], =]+?)\.( Path|$)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ConversionPattern();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?(?<inner>[\w.]+)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex NullablePattern();
}
