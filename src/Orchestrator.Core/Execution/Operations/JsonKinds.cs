using System.Text.Json;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>Names the kind of a JSON value for error messages written for workflow authors.</summary>
internal static class JsonKinds
{
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing (the value is missing)",
    };

    /// <summary>Whether the value is missing or JSON null.</summary>
    public static bool IsNullOrMissing(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    /// <summary>The text of a scalar (string as is, number and boolean as written); false for null, missing, lists and objects.</summary>
    public static bool TryGetScalarText(JsonElement value, out string text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!;
                return true;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                text = value.GetRawText();
                return true;
            default:
                text = string.Empty;
                return false;
        }
    }
}
