using System.Text.Json.Serialization;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary><c>delay</c>: waits; the duration is the step's own field, never <c>params</c>.</summary>
public sealed record DelayStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.Delay;

    /// <summary>How long to wait (<c>duration</c> in milliseconds in JSON).</summary>
    [JsonConverter(typeof(MillisecondsJsonConverter))]
    public required TimeSpan Duration { get; init; }
}
