using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Core.Serialization;

/// <summary>Measures how deeply JSON nests without recursion, so a hostile value is refused before anything walks it.</summary>
internal static class JsonDepth
{
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 1000, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// Where <paramref name="value"/> first nests deeper than <paramref name="max"/> levels, as a path relative to it
    /// (<c>.params.v[0]</c>); null when it does not. Reads the raw JSON once, allocating nothing, and only when a level
    /// past <paramref name="max"/> is found reads it again keeping one frame per open level to say where.
    /// </summary>
    public static string? FindTooDeep(JsonElement value, int max)
    {
        if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        return IsDeeperThan(raw, max) ? Locate(raw, max) : null;
    }

    /// <summary>Whether a container opens at level <paramref name="max"/> + 1 or deeper (the value itself is level 1).</summary>
    internal static bool IsDeeperThan(ReadOnlySpan<byte> raw, int max)
    {
        var reader = new Utf8JsonReader(raw, s_readerOptions);
        while (reader.Read())
        {
            // A container token's CurrentDepth is the number of containers around it: the value itself is at depth 0.
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= max)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path to the first container past <paramref name="max"/> levels; null when there is none.</summary>
    private static string? Locate(ReadOnlySpan<byte> raw, int max)
    {
        var reader = new Utf8JsonReader(raw, s_readerOptions);
        var frames = new List<Frame>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    frames[^1] = frames[^1] with { Name = reader.GetString() };
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    continue;
                case JsonTokenType.Comment:
                    continue;
            }

            // A value: in an array it takes the next index.
            var segment = string.Empty;
            if (frames.Count > 0)
            {
                var top = frames[^1];
                if (top.IsArray)
                {
                    segment = "[" + top.Count.ToString(CultureInfo.InvariantCulture) + "]";
                    frames[^1] = top with { Count = top.Count + 1 };
                }
                else
                {
                    segment = "." + top.Name;
                }
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, segment, null, 0));
                if (frames.Count > max)
                {
                    var path = new StringBuilder();
                    foreach (var frame in frames)
                    {
                        path.Append(frame.Segment);
                    }

                    return path.ToString();
                }
            }
        }

        return null;
    }

    private readonly record struct Frame(bool IsArray, string Segment, string? Name, int Count);
}
