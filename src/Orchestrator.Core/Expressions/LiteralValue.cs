using System.Text.Json;

namespace Orchestrator.Core.Expressions;

/// <summary>A JSON value with no references in it: used as it is.</summary>
internal sealed record LiteralValue : TemplateValue
{
    /// <summary>Wraps a JSON value (a private copy is kept, independent of the source document).</summary>
    /// <param name="value">The value.</param>
    public LiteralValue(JsonElement value) => Value = value.Clone();

    /// <summary>The JSON <c>null</c> literal.</summary>
    public static LiteralValue Null { get; } = FromJson("null");

    /// <summary>The JSON value.</summary>
    public JsonElement Value { get; }

    /// <inheritdoc />
    public override bool HasReferences => false;

    /// <summary>Creates a literal from JSON text.</summary>
    /// <param name="json">A JSON value as text.</param>
    /// <returns>The literal.</returns>
    public static LiteralValue FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new LiteralValue(document.RootElement);
    }

    /// <summary>Creates a string literal.</summary>
    /// <param name="text">The string.</param>
    /// <returns>The literal.</returns>
    public static LiteralValue FromString(string text) => new(JsonSerializer.SerializeToElement(text, Serialization.OrchestratorJsonContext.Default.String));

    /// <inheritdoc />
    public override void CollectReferences(ICollection<ReferencePath> sink)
    {
    }

    /// <inheritdoc />
    public override void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Value.WriteTo(writer);
    }

    /// <inheritdoc />
    public bool Equals(LiteralValue? other) => other is not null && JsonElement.DeepEquals(Value, other.Value);

    /// <inheritdoc />
    public override int GetHashCode() => Value.ValueKind.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.GetRawText();
}
