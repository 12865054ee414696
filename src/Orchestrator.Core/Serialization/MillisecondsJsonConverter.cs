using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Core.Serialization;

/// <summary>A duration written as a number of milliseconds (<c>timeout</c>, <c>duration</c>, <c>backoffMs</c>).</summary>
internal sealed class MillisecondsJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonErrors.ReadDuration(ref reader, TimeSpan.FromMilliseconds, "milliseconds");

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.TotalMilliseconds);
}
