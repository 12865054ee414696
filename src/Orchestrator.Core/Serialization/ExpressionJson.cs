using System.Buffers;
using System.Text.Json;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// The JSON form of a parsed value, for the model's public inspection properties: hosts read what the document says
/// without the expression tree (which is internal, so it can change without breaking them).
/// </summary>
internal static class ExpressionJson
{
    private static readonly OperandJsonConverter s_operand = new();

    /// <summary>A template as JSON, as the workflow is saved (references as <c>{{path}}</c> strings); null when absent.</summary>
    public static JsonElement? Of(TemplateValue? value) => value is null ? null : Write(value.WriteTo);

    /// <summary>A condition as JSON, as the workflow is saved; null when absent.</summary>
    public static JsonElement? Of(Condition? condition) => condition is null ? null : Write(condition.WriteTo);

    /// <summary>A required template as JSON, as the workflow is saved.</summary>
    public static JsonElement OfRequired(TemplateValue value) => Write(value.WriteTo);

    /// <summary>A required condition as JSON, as the workflow is saved.</summary>
    public static JsonElement OfRequired(Condition condition) => Write(condition.WriteTo);

    /// <summary>A comparison operand as JSON, as the workflow is saved (a reference as its bare path).</summary>
    public static JsonElement OfOperand(TemplateValue value) => Write(writer => s_operand.Write(writer, value, OrchestratorJsonContext.Default.Options));

    private static JsonElement Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
