using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>What a failing <see cref="SubWorkflowStep"/> does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubWorkflowErrorMode>))]
public enum SubWorkflowErrorMode
{
    /// <summary><c>throw</c>: the step fails.</summary>
    [JsonStringEnumMemberName("throw")]
    Throw,

    /// <summary><c>continue</c>: the step succeeds with empty data.</summary>
    [JsonStringEnumMemberName("continue")]
    Continue,

    /// <summary><c>return_error</c>: the step succeeds with the error as its data.</summary>
    [JsonStringEnumMemberName("return_error")]
    ReturnError,
}
