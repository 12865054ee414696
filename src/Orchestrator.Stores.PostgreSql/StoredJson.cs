using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Stores.PostgreSql;

/// <summary>The JSON text the memory store and the audit sink keep: lists of strings, and event details.</summary>
internal static class StoredJson
{
    public static string WriteList(IReadOnlyList<string> items)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<string> ReadList(string json)
    {
        using var document = JsonDocument.Parse(json);
        var items = new List<string>(document.RootElement.GetArrayLength());
        foreach (var item in document.RootElement.EnumerateArray())
        {
            items.Add(item.GetString() ?? string.Empty);
        }

        return items;
    }

    /// <summary>The details as JSON text, or null when they are undefined (no details).</summary>
    public static string? WriteDetails(JsonElement details) => details.ValueKind == JsonValueKind.Undefined ? null : details.GetRawText();

    public static JsonElement ReadDetails(string? json)
    {
        if (json is null)
        {
            return default;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
