using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// <c>notificationChannels</c>: a list (or a single value) whose items are channel names or <c>{ type, config }</c>
/// objects. A channel without configuration is written as its name, one with configuration as an object.
/// </summary>
internal sealed class NotificationChannelListJsonConverter : JsonConverter<EquatableArray<NotificationChannel>>
{
    public override EquatableArray<NotificationChannel> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        switch (root.ValueKind)
        {
            case JsonValueKind.Null:
                return default;
            case JsonValueKind.Array:
                var channels = new NotificationChannel[root.GetArrayLength()];
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    channels[index] = ReadOne(item, $"[{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]");
                    index++;
                }

                return EquatableArray<NotificationChannel>.UnsafeWrap(channels);
            default:
                return EquatableArray<NotificationChannel>.UnsafeWrap([ReadOne(root, string.Empty)]);
        }
    }

    public override void Write(Utf8JsonWriter writer, EquatableArray<NotificationChannel> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var channel in value)
        {
            if (channel.Config is null)
            {
                writer.WriteStringValue(channel.Type);
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString("type", channel.Type);
            writer.WritePropertyName("config");
            channel.Config.WriteTo(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static NotificationChannel ReadOne(JsonElement item, string path)
    {
        if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
        {
            return new NotificationChannel { Type = item.GetString()! };
        }

        if (item.ValueKind == JsonValueKind.Object)
        {
            string? type = null;
            LiteralValue? config = null;
            foreach (var property in item.EnumerateObject())
            {
                if (property.NameEquals("type") && property.Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(property.Value.GetString()))
                {
                    type = property.Value.GetString();
                }
                else if (property.NameEquals("config"))
                {
                    config = property.Value.ValueKind == JsonValueKind.Null ? null : new LiteralValue(property.Value.Clone());
                }
                else
                {
                    // A field that may change where approvers are told: refused rather than dropped.
                    throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A notification channel has the unknown field '{property.Name}'; it takes 'type' and 'config'.")
                    {
                        InnerPath = $"{path}.{property.Name}",
                    };
                }
            }

            if (type is not null)
            {
                return new NotificationChannel { Type = type, Config = config };
            }
        }

        throw new WorkflowJsonException(DiagnosticCodes.InvalidValue, $"A notification channel is a name or an object with a 'type' (and optional 'config'), not {JsonErrors.Describe(item.ValueKind)}.")
        {
            InnerPath = path,
        };
    }
}
