using System.Text.Json;

namespace Orchestrator.Core.Execution.Values;

/// <summary>The result of a data operation (transform, enrichment, validation, comparison): a value, or why there is none.</summary>
/// <remarks>An outcome as a value: a workflow whose data has the wrong shape is not a bug, so it is not an exception.</remarks>
internal readonly record struct ValueResult(bool Success, JsonElement Value, string? Error, string? ErrorCode)
{
    public static ValueResult Ok(JsonElement value) => new(true, value, null, null);

    public static ValueResult Fail(string errorCode, string error) => new(false, default, error, errorCode);
}
