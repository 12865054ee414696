using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>What a <see cref="ValidationStep"/> does when its input is invalid.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ValidationFailureAction>))]
public enum ValidationFailureAction
{
    /// <summary><c>throw</c>: the step fails.</summary>
    [JsonStringEnumMemberName("throw")]
    Throw,

    /// <summary><c>continue</c>: the step succeeds and reports the problems in its data.</summary>
    [JsonStringEnumMemberName("continue")]
    Continue,

    /// <summary><c>skip</c>: the step is skipped.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,
}
