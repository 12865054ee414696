using System.Buffers;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Execution.Handlers;
using Orchestrator.Core.Execution.Values;

namespace Orchestrator.Core.Memory;

/// <summary>
/// Reads the summariser's reply in one pass with a JSON reader (no document is built and searched once per field: this
/// runs after every run). The rules are those the document gave: the reply, fenced or not, must be one JSON object with
/// a string <c>summary</c>; a field named twice counts by its last value; a field of another type than asked reads as
/// absent; list items that are not strings are kept as their JSON text, and empty and null items are dropped. A reply
/// that is not valid JSON, or nests deeper than the reader's default limit (64), is not the summary.
/// </summary>
internal static class SummaryReply
{
    /// <summary>Replies up to this many characters are encoded on the stack (three bytes at most per character).</summary>
    private const int StackChars = 512;

    /// <summary>What the reply said; <see cref="Sentiment"/> is <see langword="null"/> when it was absent or not a string.</summary>
    public readonly record struct Fields(
        string Summary,
        string? Sentiment,
        IReadOnlyList<string> KeyOutcomes,
        IReadOnlyList<string> PatternsDetected,
        IReadOnlyList<string> Suggestions);

    private enum Field
    {
        Other,
        Summary,
        Sentiment,
        KeyOutcomes,
        PatternsDetected,
        Suggestions,
    }

    /// <summary>Reads <paramref name="reply"/>; <see langword="false"/> when it is not the summary JSON asked for.</summary>
    public static bool TryRead(string reply, out Fields fields)
    {
        fields = default;
        var text = LlmHandler.JsonPart(reply).Span;
        if (text.IsEmpty || text[0] != '{')
        {
            return false;
        }

        byte[]? rented = null;
        var utf8 = text.Length <= StackChars
            ? stackalloc byte[3 * StackChars]
            : rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(text));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, utf8);
            return TryRead(utf8[..length], out fields);
        }
        catch (JsonException)
        {
            fields = default;
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool TryRead(ReadOnlySpan<byte> utf8, out Fields fields)
    {
        // Default options, as the document had: no comments, no trailing commas, depth 64, one value and nothing after it.
        var reader = new Utf8JsonReader(utf8);
        reader.Read(); // The object's start: the text starts with '{'.
        string? summary = null;
        string? sentiment = null;
        IReadOnlyList<string> keyOutcomes = [];
        IReadOnlyList<string> patternsDetected = [];
        IReadOnlyList<string> suggestions = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = NameOf(ref reader);
            reader.Read();
            switch (field)
            {
                case Field.Summary:
                    summary = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                    break;
                case Field.Sentiment:
                    sentiment = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                    break;
                case Field.KeyOutcomes:
                    keyOutcomes = Strings(ref reader);
                    break;
                case Field.PatternsDetected:
                    patternsDetected = Strings(ref reader);
                    break;
                case Field.Suggestions:
                    suggestions = Strings(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        // Reading past the object's end throws if anything but white space follows it.
        reader.Read();
        if (summary is null)
        {
            fields = default;
            return false;
        }

        fields = new Fields(summary, sentiment, keyOutcomes, patternsDetected, suggestions);
        return true;
    }

    /// <summary>Which field the reader's property name is: its bytes compared as they are, or unescaped first if escaped.</summary>
    private static Field NameOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Match(reader.ValueSpan);
        }

        // Unescaping makes at least one byte of every six (\u0073 is one byte), so a name escaped into more than six
        // times the longest field's length (17) is longer than any field once unescaped.
        const int MaxEscaped = 6 * 17;
        if (reader.ValueSpan.Length > MaxEscaped)
        {
            return Field.Other;
        }

        Span<byte> name = stackalloc byte[MaxEscaped];
        return Match(name[..reader.CopyString(name)]);
    }

    private static Field Match(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("summary"u8) ? Field.Summary
        : name.SequenceEqual("sentiment"u8) ? Field.Sentiment
        : name.SequenceEqual("key_outcomes"u8) ? Field.KeyOutcomes
        : name.SequenceEqual("patterns_detected"u8) ? Field.PatternsDetected
        : name.SequenceEqual("suggestions"u8) ? Field.Suggestions
        : Field.Other;

    /// <summary>A list of strings from the value the reader is on: empty unless it is an array.</summary>
    private static IReadOnlyList<string> Strings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return Array.Empty<string>();
        }

        List<string>? list = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var text = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.ValueSpan),
                _ => JsonValues.ToText(JsonElement.ParseValue(ref reader)), // A list or object: its compact JSON.
            };

            if (text is { Length: > 0 })
            {
                (list ??= []).Add(text);
            }
        }

        return list is null ? Array.Empty<string>() : list;
    }
}
