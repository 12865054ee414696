using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// Reads and writes one <see cref="WorkflowStep"/> by its <c>type</c> name. Written by hand rather than with
/// <c>[JsonPolymorphic]</c> because two names (<c>llm_decision</c>, <c>ai_processing</c>) share one model and legacy
/// entries must be normalised; unknown names fail with the list of known ones.
/// </summary>
internal sealed class WorkflowStepJsonConverter : JsonConverter<WorkflowStep>
{
    public override WorkflowStep? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return StepJsonReader.Read(document.RootElement, position: 0, out _, warnings: null);
    }

    public override void Write(Utf8JsonWriter writer, WorkflowStep value, JsonSerializerOptions options) =>
        StepJsonReader.Write(writer, value);
}
