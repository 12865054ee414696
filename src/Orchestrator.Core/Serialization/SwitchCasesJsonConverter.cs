using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>Switch cases written as an object: <c>{ "value": ["stepId", ...] }</c> (a single id is accepted too).</summary>
internal sealed class SwitchCasesJsonConverter : JsonConverter<EquatableArray<SwitchCase>>
{
    private static readonly StringListJsonConverter s_targets = new();

    public override EquatableArray<SwitchCase> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object mapping case values to step ids, not {JsonErrors.Describe(reader.TokenType)}.");
        }

        var cases = new List<SwitchCase>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var value = reader.GetString()!;
            reader.Read();
            cases.Add(new SwitchCase(value, s_targets.Read(ref reader, typeof(EquatableArray<string>), options)));
        }

        return EquatableArray<SwitchCase>.UnsafeWrap([.. cases]);
    }

    public override void Write(Utf8JsonWriter writer, EquatableArray<SwitchCase> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var @case in value)
        {
            writer.WritePropertyName(@case.Value);
            s_targets.Write(writer, @case.Targets, options);
        }

        writer.WriteEndObject();
    }
}
