using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Serialization;

/// <summary>Any JSON value, kept as it is: <c>{{ }}</c> in it is text, never a reference.</summary>
internal sealed class LiteralValueJsonConverter : JsonConverter<LiteralValue>
{
    public override bool HandleNull => true;

    public override LiteralValue? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new LiteralValue(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, LiteralValue value, JsonSerializerOptions options) => value.WriteTo(writer);
}
