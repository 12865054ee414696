using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Serialization;

/// <summary>Any JSON value; strings holding <c>{{ }}</c> are parsed as templates.</summary>
internal sealed class TemplateValueJsonConverter : JsonConverter<TemplateValue>
{
    public override bool HandleNull => true;

    public override TemplateValue? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return JsonErrors.Guard(() => TemplateValue.Parse(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, TemplateValue value, JsonSerializerOptions options) => value.WriteTo(writer);
}
