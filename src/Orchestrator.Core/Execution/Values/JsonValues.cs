using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Orchestrator.Core.Execution.Values;

/// <summary>Small, allocation-conscious helpers over <see cref="JsonElement"/>: constants, truthiness, equality, ordering, text.</summary>
internal static class JsonValues
{
    public static JsonElement Null { get; } = Parse("null");

    public static JsonElement True { get; } = Parse("true");

    public static JsonElement False { get; } = Parse("false");

    public static JsonElement EmptyObject { get; } = Parse("{}");

    public static JsonElement EmptyArray { get; } = Parse("[]");

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static JsonElement FromBoolean(bool value) => value ? True : False;

    public static JsonElement FromString(string value) => Write(static (writer, text) => writer.WriteStringValue(text), value);

    public static JsonElement FromNumber(double value) =>
        double.IsFinite(value) ? Write(static (writer, number) => writer.WriteNumberValue(number), value) : Null;

    public static JsonElement FromNumber(long value) => Write(static (writer, number) => writer.WriteNumberValue(number), value);

    /// <summary>Writes a value with <paramref name="write"/> and returns it as a standalone element.</summary>
    /// <remarks>
    /// The buffer and writer are reused per thread (a nested call, from inside <paramref name="write"/>, gets fresh ones),
    /// so a value costs only its own document: this runs for every LLM reply, conditional, transform and audit event.
    /// </remarks>
    public static JsonElement Write<TState>(Action<Utf8JsonWriter, TState> write, TState state)
    {
        var (buffer, writer) = RentWriter(forText: false);
        try
        {
            write(writer, state);
            writer.Flush();

            // Read back at the writer's own depth bound: whatever it wrote must parse (the reader's default of 64 threw
            // for data a few levels under it once a container or comparison wrapped it).
            if (buffer.WrittenCount > LargeValue)
            {
                // A large value (a run's output of many steps) is parsed once into a pooled document and copied out: a
                // third faster than ParseValue, which reads it twice (to find its end, then to parse it) and sizes its
                // table for the worst case.
                using var document = JsonDocument.Parse(buffer.WrittenMemory, s_readBackDocument);
                return document.RootElement.Clone();
            }

            // ParseValue copies into a document of its own (not pooled), valid for as long as the element is referenced;
            // for a small value it makes one object fewer than the pooled document and its copy.
            var reader = new Utf8JsonReader(buffer.WrittenSpan, s_readBack);
            return JsonElement.ParseValue(ref reader);
        }
        finally
        {
            ReturnWriter(buffer, writer, forText: false);
        }
    }

    /// <summary>
    /// Writes a value with <paramref name="write"/> and returns its JSON text (no document is made), escaped only where
    /// JSON requires it: this text is read by a model or a person (a prompt), where the default encoder's
    /// <c>\u0022</c> for every quote in an embedded JSON string and <c>\u00FC</c> for every non-ASCII letter cost
    /// tokens, hurt reading, and cost the writer its slow escaping path.
    /// </summary>
    public static string WriteText<TState>(Action<Utf8JsonWriter, TState> write, TState state)
    {
        var (buffer, writer) = RentWriter(forText: true);
        try
        {
            write(writer, state);
            writer.Flush();
            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            ReturnWriter(buffer, writer, forText: true);
        }
    }

    /// <summary>This thread's buffer and writer (fresh ones for a nested call, which finds them taken).</summary>
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) RentWriter(bool forText)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(256);
        var writer = forText ? t_textWriter : t_writer;
        t_buffer = null;
        if (forText)
        {
            t_textWriter = null;
        }
        else
        {
            t_writer = null;
        }

        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer, forText ? s_textOptions : s_valueOptions);
        }
        else
        {
            writer.Reset(buffer);
        }

        return (buffer, writer);
    }

    /// <summary>Keeps the buffer and writer for the next call on this thread unless the buffer grew large (one huge value should not pin it).</summary>
    private static void ReturnWriter(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, bool forText)
    {
        if (buffer.Capacity <= MaxCachedBuffer)
        {
            buffer.ResetWrittenCount();
            writer.Reset(Stream.Null);
            t_buffer = buffer;
            if (forText)
            {
                t_textWriter = writer;
            }
            else
            {
                t_writer = writer;
            }
        }
    }

    // Without the writer's structural checks: its methods then take their short paths (each check costs every start, end
    // and property of every value written). What these writers write is made by this library's own code, and what
    // Write writes is parsed back before anyone sees it, so a mistake would still surface there; the depth limit holds
    // either way.
    private static readonly JsonWriterOptions s_valueOptions = new() { SkipValidation = true };

    private static readonly JsonWriterOptions s_textOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private const int MaxCachedBuffer = 16 * 1024;

    /// <summary>The depth values are read back at: the writer's own bound, whichever way they are read.</summary>
    private const int ReadBackDepth = 1000;

    private static readonly JsonReaderOptions s_readBack = new() { MaxDepth = ReadBackDepth };

    private static readonly JsonDocumentOptions s_readBackDocument = new() { MaxDepth = ReadBackDepth };

    /// <summary>Bytes over which <see cref="Write{TState}"/> reads its value back through a pooled document.</summary>
    private const int LargeValue = 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_textWriter;

    /// <summary>Whether a value counts as true in a condition: not undefined, null, false, 0, "" or "false".</summary>
    public static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False => false,
        JsonValueKind.Number => value.GetDouble() != 0,
        JsonValueKind.String => value.GetString() is { Length: > 0 } text && !string.Equals(text, "false", StringComparison.OrdinalIgnoreCase),
        _ => true,
    };

    /// <summary>Whether a value is missing or empty: undefined, null, "", [] or {}.</summary>
    public static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => true,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().MoveNext(),
        _ => false,
    };

    /// <summary>
    /// Equality as workflow authors expect it: JSON deep equality, numbers by value, and a number equal to a string
    /// holding that number (LLM replies and form inputs arrive as text).
    /// </summary>
    public static bool LooseEquals(JsonElement left, JsonElement right)
    {
        var l = Normalize(left.ValueKind);
        var r = Normalize(right.ValueKind);
        if (l == JsonValueKind.Null || r == JsonValueKind.Null)
        {
            return l == r;
        }

        if (l == JsonValueKind.Number && r == JsonValueKind.Number)
        {
            return left.GetDouble() == right.GetDouble();
        }

        if (TryGetNumber(left, out var a) && TryGetNumber(right, out var b) && (l == JsonValueKind.Number || r == JsonValueKind.Number))
        {
            return a == b;
        }

        if (l is JsonValueKind.True or JsonValueKind.False && r == JsonValueKind.String)
        {
            return string.Equals(right.GetString(), l == JsonValueKind.True ? "true" : "false", StringComparison.OrdinalIgnoreCase);
        }

        if (r is JsonValueKind.True or JsonValueKind.False && l == JsonValueKind.String)
        {
            return LooseEquals(right, left);
        }

        return l == r && JsonElement.DeepEquals(left, right);
    }

    /// <summary>Orders two values: numbers (or numeric strings) by value, strings ordinally; null when they cannot be ordered.</summary>
    public static int? Compare(JsonElement left, JsonElement right)
    {
        if (TryGetNumber(left, out var a) && TryGetNumber(right, out var b))
        {
            return a.CompareTo(b);
        }

        if (left.ValueKind == JsonValueKind.String && right.ValueKind == JsonValueKind.String)
        {
            return string.CompareOrdinal(left.GetString(), right.GetString());
        }

        return null;
    }

    public static bool TryGetNumber(JsonElement value, out double number)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                number = value.GetDouble();
                return true;
            case JsonValueKind.String:
                return double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
            default:
                number = 0;
                return false;
        }
    }

    /// <summary>How a value reads inside text: strings as they are, null and missing as empty, anything else as JSON.</summary>
    public static string ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => string.Empty,
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array or JsonValueKind.Object => Compact(value),
        _ => value.GetRawText(),
    };

    /// <summary>A list or object as compact JSON, whatever the spacing of the document it came from.</summary>
    private static string Compact(JsonElement value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonValueKind Normalize(JsonValueKind kind) => kind == JsonValueKind.Undefined ? JsonValueKind.Null : kind;
}
