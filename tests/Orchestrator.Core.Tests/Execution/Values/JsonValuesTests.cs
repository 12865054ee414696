using System.Text.Json;
using Orchestrator.Core.Execution.Values;

namespace Orchestrator.Core.Tests.Execution.Values;

/// <summary>
/// <see cref="JsonValues.Write{TState}"/> reads what it wrote back as an element that outlives the call: small values
/// through <see cref="JsonElement.ParseValue"/>, large ones (over 1 KiB, a run's output of many steps) through a
/// pooled document copied out. Both must give the same element, deep values included, and stay valid afterwards.
/// </summary>
public class JsonValuesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(2_000)]
    public void Write_SmallOrLarge_ReadsBackWhatWasWrittenAndOutlivesTheCall(int properties)
    {
        var element = JsonValues.Write(static (writer, count) =>
        {
            writer.WriteStartObject();
            for (var i = 0; i < count; i++)
            {
                writer.WriteStartObject($"s{i}");
                writer.WriteString("text", $"value {i} \u00fc \"quoted\"");
                writer.WriteNumber("n", i);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }, properties);

        // Other writes on the thread reuse the buffer: the element must not depend on it.
        _ = JsonValues.Write(static (writer, _) => writer.WriteStringValue(new string('x', 5_000)), 0);

        Assert.Equal(properties, element.EnumerateObject().Count());
        var last = element.GetProperty($"s{properties - 1}");
        Assert.Equal($"value {properties - 1} \u00fc \"quoted\"", last.GetProperty("text").GetString());
        Assert.Equal(properties - 1, last.GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(900)] // Past the reader's default depth of 64, in a value over 1 KiB.
    public void Write_DeeplyNested_ReadsBackAtTheWritersDepth(int depth)
    {
        var element = JsonValues.Write(static (writer, levels) =>
        {
            for (var i = 0; i < levels; i++)
            {
                writer.WriteStartArray();
            }

            for (var i = 0; i < levels; i++)
            {
                writer.WriteEndArray();
            }
        }, depth);

        var levels = 0;
        for (var current = element; current.ValueKind == JsonValueKind.Array; current = current.GetArrayLength() > 0 ? current[0] : default)
        {
            levels++;
        }

        Assert.Equal(depth, levels);
    }
}
