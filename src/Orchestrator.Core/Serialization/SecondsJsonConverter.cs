using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Core.Serialization;

/// <summary>A duration written as a number of seconds (<c>cache.ttl</c>).</summary>
internal sealed class SecondsJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonErrors.ReadDuration(ref reader, TimeSpan.FromSeconds, "seconds");

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.TotalSeconds);
}
