using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Serialization;

/// <summary>A condition in any of its three forms; written back in the form it was read in.</summary>
internal sealed class ConditionJsonConverter : JsonConverter<Condition>
{
    public override Condition? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return JsonErrors.Guard(() => Condition.Parse(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, Condition value, JsonSerializerOptions options) => value.WriteTo(writer);
}
