using System.Text.Encodings.Web;
using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Durability;

/// <summary>
/// The JSON form of step records and inputs, for stores that keep them as text (source-generated, so it works trimmed
/// and ahead of time). The form is stable: fields are added, never renamed, so stored checkpoints stay readable.
/// </summary>
public static class CheckpointJson
{
    /// <summary>
    /// The records are stored, never embedded in HTML, so only what JSON itself requires is escaped: text in any
    /// language is kept as it is (smaller, and readable in the database).
    /// </summary>
    private static readonly CheckpointJsonContext s_context = new(new JsonSerializerOptions(CheckpointJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // Step data may nest ExecutionLimits.DataDepthCeiling levels inside a container's outputs inside the record: the
        // default of 64 threw on writing such a record, after the run's status was already stored.
        MaxDepth = 1000,
    });

    /// <summary>Stored values are read back at the depth the records are written with.</summary>
    private static readonly JsonDocumentOptions s_values = new() { MaxDepth = 1000 };

    /// <summary>Writes a step record as compact JSON.</summary>
    /// <param name="step">The record.</param>
    /// <returns>The JSON.</returns>
    public static string Serialize(StepCheckpoint step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return JsonSerializer.Serialize(step, s_context.StepCheckpoint);
    }

    /// <summary>Reads a step record written by <see cref="Serialize(StepCheckpoint)"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The record.</returns>
    /// <exception cref="JsonException">The JSON is not a step record.</exception>
    public static StepCheckpoint DeserializeStep(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, s_context.StepCheckpoint)
            ?? throw new JsonException("A step record cannot be null.");
    }

    /// <summary>Reads a JSON value (such as stored inputs) into an element that owns its memory.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The value.</returns>
    public static JsonElement ParseValue(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json, s_values);
        return document.RootElement.Clone();
    }

    /// <summary>Writes a JSON value as compact text (an undefined value as <c>null</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The JSON.</returns>
    public static string WriteValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.Undefined ? "null" : value.GetRawText();

    /// <summary>Writes a list of strings (a memory's outcomes, patterns, suggestions, error codes) as a JSON array.</summary>
    /// <param name="items">The strings.</param>
    /// <returns>The JSON.</returns>
    public static string WriteStringList(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return JsonSerializer.Serialize(items, s_context.IReadOnlyListString);
    }

    /// <summary>Reads a list written by <see cref="WriteStringList"/> (a <c>null</c> item reads as empty text).</summary>
    /// <param name="json">The JSON array.</param>
    /// <returns>The strings.</returns>
    /// <exception cref="JsonException">The JSON is not an array of strings.</exception>
    public static IReadOnlyList<string> ReadStringList(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var items = JsonSerializer.Deserialize(json, s_context.IReadOnlyListString) ?? throw new JsonException("A list cannot be null.");
        return [.. items.Select(item => item ?? string.Empty)];
    }

    /// <summary>Writes optional details (an audit event's) as JSON text, or null when they are undefined.</summary>
    /// <param name="value">The details.</param>
    /// <returns>The JSON, or null.</returns>
    public static string? WriteOptionalValue(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? null : value.GetRawText();

    /// <summary>Reads details written by <see cref="WriteOptionalValue"/>: undefined for null.</summary>
    /// <param name="json">The JSON, or null.</param>
    /// <returns>The value.</returns>
    public static JsonElement ReadOptionalValue(string? json) => json is null ? default : ParseValue(json);
}
