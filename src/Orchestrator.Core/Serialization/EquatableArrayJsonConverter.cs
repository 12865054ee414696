using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>Reads and writes an <see cref="EquatableArray{T}"/> as a JSON list, through the element type's generated metadata.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal abstract class EquatableArrayJsonConverter<T> : JsonConverter<EquatableArray<T>>
{
    protected abstract JsonTypeInfo<T[]> ArrayTypeInfo { get; }

    public override EquatableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected a list.");
        }

        T[] items;
        try
        {
            items = JsonSerializer.Deserialize(ref reader, ArrayTypeInfo) ?? [];
        }
        catch (JsonException ex) when (ex.Path is { Length: > 1 } path && path[0] == '$')
        {
            // The nested read knows the path inside the list only ([0].condition); rethrown without a path, the
            // enclosing read adds the list's own (.rules), so the diagnostic says .rules[0].condition.
            var (code, message) = JsonErrors.Translate(ex);
            throw new WorkflowJsonException(code, message, ex) { InnerPath = WorkflowJsonException.Locate(string.Empty, ex) };
        }

        return EquatableArray<T>.UnsafeWrap(items);
    }

    public override void Write(Utf8JsonWriter writer, EquatableArray<T> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        var info = (JsonTypeInfo<T>)OrchestratorJsonContext.Default.GetTypeInfo(typeof(T))!;
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, info);
        }

        writer.WriteEndArray();
    }
}

/// <summary>Lists of <see cref="InputParameter"/>.</summary>
internal sealed class InputParameterListJsonConverter : EquatableArrayJsonConverter<InputParameter>
{
    protected override JsonTypeInfo<InputParameter[]> ArrayTypeInfo => OrchestratorJsonContext.Default.InputParameterArray;
}

/// <summary>Lists of <see cref="OutputField"/>.</summary>
internal sealed class OutputFieldListJsonConverter : EquatableArrayJsonConverter<OutputField>
{
    protected override JsonTypeInfo<OutputField[]> ArrayTypeInfo => OrchestratorJsonContext.Default.OutputFieldArray;
}

/// <summary>Lists of <see cref="Aggregation"/>.</summary>
internal sealed class AggregationListJsonConverter : EquatableArrayJsonConverter<Aggregation>
{
    protected override JsonTypeInfo<Aggregation[]> ArrayTypeInfo => OrchestratorJsonContext.Default.AggregationArray;
}

/// <summary>Lists of <see cref="EnrichmentSource"/>.</summary>
internal sealed class EnrichmentSourceListJsonConverter : EquatableArrayJsonConverter<EnrichmentSource>
{
    protected override JsonTypeInfo<EnrichmentSource[]> ArrayTypeInfo => OrchestratorJsonContext.Default.EnrichmentSourceArray;
}

/// <summary>Lists of <see cref="ValidationRule"/>.</summary>
internal sealed class ValidationRuleListJsonConverter : EquatableArrayJsonConverter<ValidationRule>
{
    protected override JsonTypeInfo<ValidationRule[]> ArrayTypeInfo => OrchestratorJsonContext.Default.ValidationRuleArray;
}
