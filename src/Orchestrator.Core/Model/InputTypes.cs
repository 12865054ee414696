namespace Orchestrator.Core.Model;

/// <summary>The type names an <see cref="InputParameter"/> or <see cref="OutputField"/> may declare.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The constants are the JSON type names themselves.")]
public static class InputTypes
{
    /// <summary>A JSON string.</summary>
    public const string String = "string";

    /// <summary>A JSON number.</summary>
    public const string Number = "number";

    /// <summary>A JSON number without a fraction.</summary>
    public const string Integer = "integer";

    /// <summary>true or false.</summary>
    public const string Boolean = "boolean";

    /// <summary>A JSON list.</summary>
    public const string Array = "array";

    /// <summary>A JSON object.</summary>
    public const string Object = "object";

    /// <summary>Any JSON value.</summary>
    public const string Any = "any";

    /// <summary>Every known type name.</summary>
    public static IReadOnlyList<string> All { get; } = [String, Number, Integer, Boolean, Array, Object, Any];

    /// <summary>Whether <paramref name="type"/> is one of <see cref="All"/> (case-insensitive).</summary>
    /// <param name="type">A declared type name.</param>
    public static bool IsKnown(string type) => All.Contains(type, StringComparer.OrdinalIgnoreCase);
}
