using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>What a <see cref="HumanApprovalStep"/> does when its time runs out.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalTimeoutAction>))]
public enum ApprovalTimeoutAction
{
    /// <summary><c>approve</c>.</summary>
    [JsonStringEnumMemberName("approve")]
    Approve,

    /// <summary><c>reject</c>.</summary>
    [JsonStringEnumMemberName("reject")]
    Reject,

    /// <summary><c>escalate</c>: ask <see cref="HumanApprovalStep.EscalateTo"/>.</summary>
    [JsonStringEnumMemberName("escalate")]
    Escalate,
}
