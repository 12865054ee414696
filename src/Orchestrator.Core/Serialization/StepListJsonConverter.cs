using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>A list of steps (<c>loopSteps</c>, <c>steps</c>, <c>workflowSteps</c>): steps without an id are named by position.</summary>
internal sealed class StepListJsonConverter : JsonConverter<EquatableArray<WorkflowStep>>
{
    public override EquatableArray<WorkflowStep> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new WorkflowJsonException(Diagnostics.DiagnosticCodes.InvalidValue, $"Expected a list of steps, not {JsonErrors.Describe(reader.TokenType)}.");
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var steps = new List<WorkflowStep>(document.RootElement.GetArrayLength());
        List<WorkflowStep>? lifted = null;
        var position = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            try
            {
                steps.Add(StepJsonReader.Read(element, position + 1, out _, warnings: null, lifted ??= []));
                if (lifted.Count > 0)
                {
                    // A conditional's inline bodies: their steps join this list after it.
                    steps.AddRange(lifted);
                    lifted.Clear();
                }
            }
            catch (JsonException ex)
            {
                // Keep which element failed: the serializer only knows the path of the list itself.
                var (code, message) = JsonErrors.Translate(ex);
                var id = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                    ? $" ('{idElement.GetString()}')"
                    : string.Empty;
                throw new WorkflowJsonException(code, $"Inner step {position + 1}{id}: {message}", ex)
                {
                    InnerPath = WorkflowJsonException.Locate($"[{position}]", ex),
                };
            }

            position++;
        }

        return EquatableArray<WorkflowStep>.UnsafeWrap([.. steps]);
    }

    public override void Write(Utf8JsonWriter writer, EquatableArray<WorkflowStep> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var step in value)
        {
            StepJsonReader.Write(writer, step);
        }

        writer.WriteEndArray();
    }
}
